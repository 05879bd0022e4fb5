/*
 * The API server's request semantics, independent of HTTP: what each verb
 * does to the store, in which order checks happen, and what is answered.
 * Everything here is synchronous, so a request's read-check-write cannot
 * interleave with another's (the real server gets the same from etcd's
 * compare-and-swap).
 */
import { randomBytes } from 'node:crypto';
import { Operation } from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import {
  FieldRequirement,
  FieldSelectorParseError,
  matchesFields,
  parseFieldSelector,
} from './fieldSelector';
import {
  matchesLabels,
  parseLabelSelector,
  Selector,
  SelectorParseError,
} from './labelSelector';
import { clone, isPlainObject, KubeObject, timestamp } from './objects';
import {
  applyConfiguration,
  applyJsonPatch,
  APPLY_PATCH,
  JSON_PATCH,
  mergePatch,
  MERGE_PATCH,
  parseApplyPatch,
  parseJsonPatch,
  parseMergePatch,
  patchTypeOf,
  STRATEGIC_MERGE_PATCH,
} from './patch';
import {
  findResourceByKind,
  groupVersion,
  RESOURCE_TYPES,
  resourceKey,
  ResourceType,
} from './resources';
import {
  badRequest,
  conflict,
  failure,
  gone,
  invalid,
  methodNotAllowed,
  namespaceNotFound,
  notFound,
  Status,
  success,
  unsupportedMediaType,
} from './status';
import { Store, StoreEvent } from './store';
import { Validator } from './validation';

export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

export interface ApiRequest {
  verb: Verb;
  type: ResourceType;
  /** The version the client addressed; objects are answered at it. */
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType?: string;
  body?: string;
}

export interface ApiResponse {
  code: number;
  body: unknown;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** The namespace every cluster has; kept across manifest replacement. */
export const DEFAULT_NAMESPACE = 'default';

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start }),
  ).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      raw?.v !== 'meta.k8s.io/v1' ||
      typeof raw.rv !== 'number' ||
      typeof raw.start !== 'string'
    ) {
      throw new Error('unrecognized continue token');
    }
    return { rv: raw.rv, start: raw.start };
  } catch (e) {
    throw badRequest(`continue key is not valid: ${(e as Error).message}`);
  }
}

function objectSortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  return [...randomBytes(5)]
    .map(b => GENERATE_NAME_CHARS[b % GENERATE_NAME_CHARS.length])
    .join('');
}

function parseBody(
  body: string | undefined,
  contentType: string | undefined,
): Record<string, unknown> {
  const text = body ?? '';
  if (text.trim() === '') throw badRequest("Object 'Kind' is missing in ''");
  const yamlish = /yaml/i.test(contentType ?? '');
  let value: unknown;
  try {
    value = yamlish ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `couldn't get version/kind; json parse error: ${(e as Error).message}`,
    );
  }
  if (!isPlainObject(value)) {
    throw badRequest(
      `couldn't get version/kind; json parse error: expected an object`,
    );
  }
  return value;
}

function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') {
      throw failure(
        400,
        'BadRequest',
        `dryRun: Unsupported value: "${v}": supported values: "All"`,
      );
    }
  }
  return values.length > 0;
}

interface Filters {
  labels: Selector;
  fields: FieldRequirement[];
}

/** The status an API create starts an object with (PrepareForCreate). */
function initialStatus(type: ResourceType): unknown {
  switch (type.kind) {
    case 'Namespace':
      return { phase: 'Active' };
    case 'Pod':
      return { phase: 'Pending' };
    case 'Service':
      return { loadBalancer: {} };
    case 'Deployment':
    case 'ReplicaSet':
      return {};
    default:
      return undefined;
  }
}

export class KubeApi {
  constructor(readonly store: Store, private readonly validate: Validator) {}

  /** Answers a non-watch request; throws KubeApiError for error answers. */
  handle(req: ApiRequest): ApiResponse {
    switch (req.verb) {
      case 'get':
        return this.get(req);
      case 'list':
        return this.list(req);
      case 'create':
        return this.create(req);
      case 'update':
        return this.update(req);
      case 'patch':
        return this.patch(req);
      case 'delete':
        return this.delete(req);
      case 'deletecollection':
        return this.deleteCollection(req);
      default:
        throw methodNotAllowed();
    }
  }

  private gr(type: ResourceType) {
    return { group: type.group, resource: type.plural };
  }

  /** An object as answered at the requested version. */
  present(type: ResourceType, version: string, obj: KubeObject): KubeObject {
    const out = clone(obj);
    return {
      ...out,
      apiVersion: groupVersion(type.group, version),
      kind: type.kind,
    };
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined) {
    if (type.namespaced && namespace !== undefined) {
      const ns = RESOURCE_TYPES.find(t => t.kind === 'Namespace')!;
      if (!this.store.has(ns, undefined, namespace))
        throw namespaceNotFound(namespace);
    }
  }

  private filters(req: ApiRequest): Filters {
    let labels: Selector;
    let fields: FieldRequirement[];
    try {
      labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
    } catch (e) {
      if (e instanceof SelectorParseError) throw badRequest(e.message);
      throw e;
    }
    try {
      fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
    } catch (e) {
      if (e instanceof FieldSelectorParseError) throw badRequest(e.message);
      throw e;
    }
    const supported = [
      'metadata.name',
      'metadata.namespace',
      ...req.type.extraFieldSelectors,
    ];
    for (const f of fields) {
      if (!supported.includes(f.field)) {
        throw badRequest(
          req.type.custom
            ? `"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
            : `field label not supported: ${f.field}`,
        );
      }
    }
    return { labels, fields };
  }

  private matches(f: Filters, o: KubeObject): boolean {
    return (
      matchesLabels(f.labels, o.metadata.labels) && matchesFields(f.fields, o)
    );
  }

  private get(req: ApiRequest): ApiResponse {
    const obj = this.store.get(req.type, req.namespace, req.name!);
    if (!obj) throw notFound(this.gr(req.type), req.name!);
    return { code: 200, body: this.present(req.type, req.version, obj) };
  }

  /** A copy of `obj` as a list answers it. */
  private listItem(req: ApiRequest, obj: KubeObject): KubeObject {
    // Lists of built-in kinds omit the items' apiVersion/kind; custom resources keep them.
    if (req.type.custom) return this.present(req.type, req.version, obj);
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return clone(rest) as KubeObject;
  }

  private list(req: ApiRequest): ApiResponse {
    const f = this.filters(req);
    const limitParam = req.query.get('limit');
    const limit = limitParam ? Number(limitParam) : 0;
    if (limitParam && (!Number.isInteger(limit) || limit < 0)) {
      throw badRequest(
        `limit: Invalid value: "${limitParam}": must be a non-negative integer`,
      );
    }
    const cont = req.query.get('continue');
    let listRv = Number(this.store.resourceVersion);
    let start = '';
    if (cont) {
      const token = decodeContinue(cont);
      if (token.rv < this.store.oldestResumableVersion) {
        throw gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      listRv = token.rv;
      start = token.start;
    }
    // Stored objects, not copies: only the page is copied, by listItem.
    const all = this.store.list(
      req.type,
      req.namespace,
      o => (!cont || objectSortKey(o) > start) && this.matches(f, o),
    );
    const page = limit > 0 ? all.slice(0, limit) : all;
    const metadata: Record<string, unknown> = {
      resourceVersion: String(listRv),
    };
    if (page.length < all.length) {
      metadata.continue = encodeContinue({
        rv: listRv,
        start: objectSortKey(page[page.length - 1]),
      });
      if (f.labels.length === 0 && f.fields.length === 0) {
        metadata.remainingItemCount = all.length - page.length;
      }
    }
    return {
      code: 200,
      body: {
        kind: `${req.type.kind}List`,
        apiVersion: groupVersion(req.type.group, req.version),
        metadata,
        items: page.map(o => this.listItem(req, o)),
      },
    };
  }

  /** Checks the body's apiVersion/kind/name/namespace against the URL. */
  private checkIdentity(
    req: ApiRequest,
    obj: Record<string, unknown>,
    requireName: boolean,
  ) {
    const expected = groupVersion(req.type.group, req.version);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
      throw badRequest(
        `the API version in the data (${String(
          obj.apiVersion,
        )}) does not match the expected API version (${expected})`,
      );
    }
    if (obj.kind !== undefined && obj.kind !== req.type.kind) {
      throw badRequest(
        `the kind in the data (${String(
          obj.kind,
        )}) does not match the expected kind (${req.type.kind})`,
      );
    }
    if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) {
      throw badRequest('metadata: expected an object');
    }
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    obj.metadata = meta;
    if (requireName && req.name !== undefined) {
      if (meta.name === undefined || meta.name === '') meta.name = req.name;
      if (meta.name !== req.name) {
        throw badRequest(
          `the name of the object (${String(
            meta.name,
          )}) does not match the name on the URL (${req.name})`,
        );
      }
    }
    if (req.type.namespaced) {
      if (
        meta.namespace !== undefined &&
        meta.namespace !== '' &&
        meta.namespace !== req.namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = req.namespace;
    } else {
      delete meta.namespace;
    }
  }

  /** Defaults an API create applies (a small subset of the real defaulting). */
  private prepareForCreate(type: ResourceType, obj: KubeObject) {
    delete obj.metadata.deletionTimestamp;
    const status = initialStatus(type);
    if (status === undefined) delete obj.status;
    else obj.status = status;
    if (type.kind === 'Namespace') this.namespaceDefaults(obj);
    if (
      (type.kind === 'Deployment' || type.kind === 'ReplicaSet') &&
      isPlainObject(obj.spec)
    ) {
      if (obj.spec.replicas === undefined) obj.spec.replicas = 1;
    }
  }

  private namespaceDefaults(obj: KubeObject) {
    obj.metadata.labels = {
      ...(obj.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': obj.metadata.name ?? '',
    };
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
    obj.spec = spec;
    if (!isPlainObject(obj.status)) obj.status = { phase: 'Active' };
  }

  /** Shared by POST and by server-side apply of an absent object. */
  private createObject(
    req: ApiRequest,
    input: Record<string, unknown>,
  ): ApiResponse {
    const obj = input as KubeObject;
    const meta = obj.metadata;
    if (meta.resourceVersion) {
      throw badRequest(
        'resourceVersion should not be set on objects to be created',
      );
    }
    if (
      !meta.name &&
      typeof meta.generateName === 'string' &&
      meta.generateName
    ) {
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    this.prepareForCreate(req.type, obj);
    this.validate(req.type, req.version, obj);
    this.requireNamespace(req.type, req.namespace);
    const created = this.store.create(req.type, obj, {
      dryRun: dryRunOf(req.query),
    });
    return { code: 201, body: this.present(req.type, req.version, created) };
  }

  private create(req: ApiRequest): ApiResponse {
    const input = parseBody(req.body, req.contentType);
    this.checkIdentity(req, input, false);
    return this.createObject(req, input);
  }

  /**
   * Merges a client's intended object with the stored one the way the status
   * subresource split requires: the main resource cannot change status, the
   * status subresource can change nothing else.
   */
  private splitStatus(
    req: ApiRequest,
    existing: KubeObject,
    wanted: KubeObject,
  ): KubeObject {
    if (!req.type.hasStatus) return wanted;
    if (req.subresource === 'status') {
      const out = clone(existing);
      out.metadata.resourceVersion = wanted.metadata.resourceVersion;
      if (wanted.status === undefined) delete out.status;
      else out.status = wanted.status;
      return out;
    }
    const out = { ...wanted };
    if (existing.status === undefined) delete out.status;
    else out.status = clone(existing.status);
    return out;
  }

  /** Validates and stores an update whose resourceVersion precondition is in `obj`. */
  private commitUpdate(
    req: ApiRequest,
    existing: KubeObject,
    obj: KubeObject,
  ): ApiResponse {
    const name = existing.metadata.name!;
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) {
      throw conflict(this.gr(req.type), name);
    }
    obj.metadata.uid = existing.metadata.uid;
    if (req.type.kind === 'Namespace') this.namespaceDefaults(obj);
    this.validate(req.type, req.version, obj);
    const updated = this.store.update(req.type, obj, {
      dryRun: dryRunOf(req.query),
    });
    return { code: 200, body: this.present(req.type, req.version, updated) };
  }

  private update(req: ApiRequest): ApiResponse {
    const input = parseBody(req.body, req.contentType);
    this.checkIdentity(req, input, true);
    const obj = input as KubeObject;
    const existing = this.store.get(req.type, req.namespace, req.name!);
    if (!existing) throw notFound(this.gr(req.type), req.name!);
    if (!obj.metadata.resourceVersion && req.type.custom) {
      throw invalid({ group: req.type.group, kind: req.type.kind }, req.name!, [
        {
          field: 'metadata.resourceVersion',
          reason: 'FieldValueInvalid',
          detail: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
    return this.commitUpdate(
      req,
      existing,
      this.splitStatus(req, existing, obj),
    );
  }

  private acceptedPatchTypes(type: ResourceType): string[] {
    return type.custom
      ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
      : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
  }

  private patch(req: ApiRequest): ApiResponse {
    const patchType = patchTypeOf(req.contentType);
    if (!patchType || (patchType === 'strategic' && req.type.custom)) {
      throw unsupportedMediaType(this.acceptedPatchTypes(req.type));
    }
    if (patchType !== 'apply' && req.query.has('force')) {
      throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
        {
          field: 'force',
          reason: 'FieldValueForbidden',
          detail: 'Forbidden: may not be specified for non-apply patch',
        },
      ]);
    }
    if (patchType === 'apply' && !req.query.get('fieldManager')) {
      throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
        {
          field: 'fieldManager',
          reason: 'FieldValueRequired',
          detail: 'Required value: is required for apply patch',
        },
      ]);
    }
    const gr = this.gr(req.type);
    const name = req.name!;
    const stored = this.store.get(req.type, req.namespace, name);

    if (patchType === 'apply') {
      const applied = parseApplyPatch(req.body ?? '');
      this.checkIdentity(req, applied, true);
      if (!stored) {
        if (req.subresource) throw notFound(gr, name);
        return this.createObject(req, applied);
      }
      const current = this.present(req.type, req.version, stored);
      const patched = applyConfiguration(current, applied) as KubeObject;
      return this.finishPatch(req, stored, patched);
    }

    if (!stored) throw notFound(gr, name);
    const current = this.present(req.type, req.version, stored);
    let patched: KubeObject;
    if (patchType === 'json') {
      const ops = parseJsonPatch(req.body ?? '');
      this.checkStaleVersionOps(req, stored, ops);
      patched = applyJsonPatch(current, ops);
    } else {
      patched = mergePatch(
        current,
        parseMergePatch(req.body ?? ''),
      ) as KubeObject;
    }
    return this.finishPatch(req, stored, patched);
  }

  /**
   * A JSON patch that replaces metadata.resourceVersion with a value other
   * than the stored one carries a stale precondition: the real API server
   * answers 409 Conflict. (A failed `test` of it is an ordinary failed test:
   * 422, as on a real server.)
   */
  private checkStaleVersionOps(
    req: ApiRequest,
    stored: KubeObject,
    ops: Operation[],
  ) {
    for (const op of ops) {
      if (
        op.path === '/metadata/resourceVersion' &&
        op.op === 'replace' &&
        (op as { value?: unknown }).value !== stored.metadata.resourceVersion
      ) {
        throw conflict(this.gr(req.type), stored.metadata.name!);
      }
    }
  }

  private finishPatch(
    req: ApiRequest,
    stored: KubeObject,
    patched: KubeObject,
  ): ApiResponse {
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
      throw badRequest('the patched object must be an object with metadata');
    }
    const expectedVersion = groupVersion(req.type.group, req.version);
    if (
      patched.apiVersion !== expectedVersion ||
      patched.kind !== req.type.kind
    ) {
      throw badRequest(
        `the API version in the data (${String(
          patched.apiVersion,
        )}) does not match the expected API version (${expectedVersion})`,
      );
    }
    if (patched.metadata.name !== stored.metadata.name) {
      throw badRequest(
        `the name of the object (${String(
          patched.metadata.name,
        )}) does not match the name on the URL (${stored.metadata.name})`,
      );
    }
    if (
      (patched.metadata.namespace ?? undefined) !==
      (stored.metadata.namespace ?? undefined)
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    return this.commitUpdate(
      req,
      stored,
      this.splitStatus(req, stored, patched),
    );
  }

  private deleteOptions(req: ApiRequest): {
    resourceVersion?: string;
    uid?: string;
    dryRun: boolean;
  } {
    let dryRun = dryRunOf(req.query);
    let resourceVersion: string | undefined;
    let uid: string | undefined;
    if (req.body && req.body.trim() !== '') {
      const opts = parseBody(req.body, req.contentType);
      const pre = opts.preconditions;
      if (isPlainObject(pre)) {
        if (typeof pre.resourceVersion === 'string')
          resourceVersion = pre.resourceVersion;
        if (typeof pre.uid === 'string') uid = pre.uid;
      }
      if (Array.isArray(opts.dryRun)) {
        dryRun =
          dryRun ||
          dryRunOf(
            new URLSearchParams(opts.dryRun.map(v => ['dryRun', String(v)])),
          );
      }
    }
    return { resourceVersion, uid, dryRun };
  }

  private delete(req: ApiRequest): ApiResponse {
    const name = req.name!;
    const opts = this.deleteOptions(req);
    if (req.type.kind === 'Namespace')
      return this.deleteNamespace(req, name, opts);
    const deleted = this.store.delete(req.type, req.namespace, name, opts);
    if (req.type.returnDeletedObject) {
      return { code: 200, body: this.present(req.type, req.version, deleted) };
    }
    return {
      code: 200,
      body: success({
        name,
        group: req.type.group,
        kind: req.type.plural,
        uid: deleted.metadata.uid,
      }),
    };
  }

  /**
   * Deleting a namespace deletes its contents. The real server keeps the
   * namespace in phase Terminating until its controller has emptied it; here
   * that happens at once, and the answer shows the Terminating namespace.
   */
  private deleteNamespace(
    req: ApiRequest,
    name: string,
    opts: { resourceVersion?: string; uid?: string; dryRun: boolean },
  ): ApiResponse {
    if (name === DEFAULT_NAMESPACE) {
      throw failure(
        403,
        'Forbidden',
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        {
          name,
          kind: 'namespaces',
        },
      );
    }
    const existing = this.store.get(req.type, undefined, name);
    if (!existing) throw notFound(this.gr(req.type), name);
    if (!opts.dryRun) {
      if (
        opts.resourceVersion &&
        opts.resourceVersion !== existing.metadata.resourceVersion
      ) {
        throw conflict(this.gr(req.type), name);
      }
      for (const t of RESOURCE_TYPES) {
        if (!t.namespaced) continue;
        for (const o of this.store.list(t, name))
          this.store.delete(t, name, o.metadata.name!);
      }
    }
    const deleted = this.store.delete(req.type, undefined, name, opts);
    const body = this.present(req.type, req.version, deleted);
    body.metadata.deletionTimestamp = timestamp();
    body.status = { phase: 'Terminating' };
    return { code: 200, body };
  }

  private deleteCollection(req: ApiRequest): ApiResponse {
    const f = this.filters(req);
    const opts = this.deleteOptions(req);
    const items: KubeObject[] = [];
    const matching = this.store.list(req.type, req.namespace, o =>
      this.matches(f, o),
    );
    for (const o of matching) {
      if (req.type.kind === 'Namespace') {
        if (o.metadata.name === DEFAULT_NAMESPACE) continue;
        items.push(
          this.deleteNamespace(req, o.metadata.name!, { dryRun: opts.dryRun })
            .body as KubeObject,
        );
      } else {
        items.push(
          this.store.delete(req.type, o.metadata.namespace, o.metadata.name!, {
            dryRun: opts.dryRun,
          }),
        );
      }
    }
    return {
      code: 200,
      body: {
        kind: `${req.type.kind}List`,
        apiVersion: groupVersion(req.type.group, req.version),
        metadata: { resourceVersion: this.store.resourceVersion },
        items: items.map(o => this.listItem(req, o)),
      },
    };
  }

  /**
   * Starts a watch. Events before the subscription (synthetic ADDED for the
   * current state, or the retained events after `resourceVersion`) are sent
   * first, then live ones. Returns the function that stops it, or `undefined`
   * when the stream is already over (410 sent as an ERROR event).
   */
  watch(
    req: ApiRequest,
    send: (e: WatchEvent) => void,
  ): (() => void) | undefined {
    const f = this.filters(req);
    const rvParam = req.query.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
      throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
        {
          field: 'resourceVersion',
          reason: 'FieldValueInvalid',
          detail: `Invalid value: "${rvParam}": must be a valid resource version`,
        },
      ]);
    }
    const key = resourceKey(req.type);
    // A watch on a named object (GET .../{name}?watch=1) is a watch filtered to that name.
    const inScope = (o: KubeObject) =>
      (req.namespace === undefined || o.metadata.namespace === req.namespace) &&
      (req.name === undefined || o.metadata.name === req.name);
    const translate = (e: StoreEvent): WatchEvent | undefined => {
      if (e.key !== key || !inScope(e.object)) return undefined;
      const now = e.type !== 'DELETED' && this.matches(f, e.object);
      const before = e.previous !== undefined && this.matches(f, e.previous);
      let type: WatchEvent['type'] | undefined;
      if (e.type === 'ADDED') type = now ? 'ADDED' : undefined;
      else if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
      else if (now && before) type = 'MODIFIED';
      else if (now) type = 'ADDED';
      else if (before) type = 'DELETED';
      return type
        ? { type, object: this.present(req.type, req.version, e.object) }
        : undefined;
    };

    if (rvParam === '' || rvParam === '0') {
      const current = this.store.list(
        req.type,
        req.namespace,
        o => inScope(o) && this.matches(f, o),
      );
      for (const o of current) {
        send({ type: 'ADDED', object: this.present(req.type, req.version, o) });
      }
    } else {
      const rv = Number(rvParam);
      const past = this.store.eventsSince(rv);
      if (!past) {
        const status: Status = gone(
          `too old resource version: ${rv} (${
            this.store.oldestResumableVersion + 1
          })`,
        ).status;
        send({ type: 'ERROR', object: status });
        return undefined;
      }
      for (const e of past) {
        const w = translate(e);
        if (w) send(w);
      }
    }
    return this.store.subscribe(e => {
      const w = translate(e);
      if (w) send(w);
    });
  }

  /** What a BOOKMARK event carries: only the kind and the current resourceVersion. */
  bookmark(req: ApiRequest): WatchEvent {
    return {
      type: 'BOOKMARK',
      object: {
        kind: req.type.kind,
        apiVersion: groupVersion(req.type.group, req.version),
        metadata: { resourceVersion: this.store.resourceVersion },
      },
    };
  }

  /** Makes sure the `default` namespace exists, as it does in every cluster. */
  ensureDefaultNamespace() {
    const ns = RESOURCE_TYPES.find(t => t.kind === 'Namespace')!;
    if (!this.store.has(ns, undefined, DEFAULT_NAMESPACE)) {
      const obj: KubeObject = { metadata: { name: DEFAULT_NAMESPACE } };
      this.namespaceDefaults(obj);
      this.store.create(ns, obj);
    }
  }

  /**
   * Loads manifests through the control API: validated like API writes, but
   * status is kept as given and missing namespaces are created. With
   * `replace`, every object not in the manifests is deleted first.
   */
  applyManifests(
    objects: KubeObject[],
    options: { replace: boolean },
  ): ManifestResult[] {
    const nsType = RESOURCE_TYPES.find(t => t.kind === 'Namespace')!;
    const planned = new Map<string, { type: ResourceType; obj: KubeObject }>();
    for (const input of objects) {
      const apiVersion = String(input.apiVersion ?? '');
      const kind = String(input.kind ?? '');
      const type = findResourceByKind(apiVersion, kind);
      if (!type) {
        throw badRequest(
          `no matches for kind "${kind}" in version "${apiVersion}"`,
        );
      }
      const version = apiVersion.split('/').pop()!;
      const obj = clone(input);
      obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
      if (type.namespaced)
        obj.metadata.namespace = obj.metadata.namespace || DEFAULT_NAMESPACE;
      else delete obj.metadata.namespace;
      for (const k of [
        'resourceVersion',
        'uid',
        'creationTimestamp',
        'generation',
      ] as const) {
        delete obj.metadata[k];
      }
      if (type.kind === 'Namespace') this.namespaceDefaults(obj);
      this.validate(type, version, obj);
      planned.set(
        `${resourceKey(type)}|${obj.metadata.namespace ?? ''}|${
          obj.metadata.name
        }`,
        { type, obj },
      );
    }
    const needed = new Set<string>([DEFAULT_NAMESPACE]);
    for (const { type, obj } of planned.values()) {
      if (type.namespaced) needed.add(obj.metadata.namespace!);
      if (type.kind === 'Namespace') needed.add(obj.metadata.name!);
    }
    const results: ManifestResult[] = [];
    if (options.replace) {
      // Contents before namespaces, so watchers see a namespace's objects go first.
      const ordered = [...RESOURCE_TYPES].sort(
        (a, b) =>
          Number(a.kind === 'Namespace') - Number(b.kind === 'Namespace'),
      );
      for (const type of ordered) {
        for (const o of this.store.list(type)) {
          const id = `${resourceKey(type)}|${o.metadata.namespace ?? ''}|${
            o.metadata.name
          }`;
          if (planned.has(id)) continue;
          if (type.kind === 'Namespace' && needed.has(o.metadata.name!))
            continue;
          this.store.delete(type, o.metadata.namespace, o.metadata.name!);
          results.push(describe(type, o, 'deleted'));
        }
      }
    }
    for (const ns of needed) {
      const declared = planned.has(`${resourceKey(nsType)}||${ns}`);
      if (!declared && !this.store.has(nsType, undefined, ns)) {
        const obj: KubeObject = { metadata: { name: ns } };
        this.namespaceDefaults(obj);
        results.push(
          describe(nsType, this.store.create(nsType, obj), 'created'),
        );
      }
    }
    // Namespaces first, so contents never land in a missing namespace.
    const entries = [...planned.values()].sort(
      (a, b) =>
        Number(b.type.kind === 'Namespace') -
        Number(a.type.kind === 'Namespace'),
    );
    for (const { type, obj } of entries) {
      const existed = this.store.has(
        type,
        obj.metadata.namespace,
        obj.metadata.name!,
      );
      const stored = this.store.upsert(type, obj);
      results.push(describe(type, stored, existed ? 'updated' : 'created'));
    }
    return results;
  }
}

export interface ManifestResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion?: string;
  action: 'created' | 'updated' | 'deleted';
}

function describe(
  type: ResourceType,
  o: KubeObject,
  action: ManifestResult['action'],
): ManifestResult {
  const r: ManifestResult = {
    apiVersion: groupVersion(type.group, type.versions[0]),
    kind: type.kind,
    name: o.metadata.name!,
    resourceVersion: o.metadata.resourceVersion,
    action,
  };
  if (o.metadata.namespace) r.namespace = o.metadata.namespace;
  return r;
}
