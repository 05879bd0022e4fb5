/*
 * create and update, and the steps patch shares with them: creating an
 * object (server-side apply of an absent one creates), the status
 * subresource split, and committing an update under its resourceVersion
 * precondition.
 */
import { randomBytes } from 'node:crypto';
import { fieldManagerOf, managedFieldsAfter } from '../managedFields';
import { clone, isPlainObject, KubeObject } from '../objects';
import { patchTypeOf } from '../patch';
import { groupVersion, ResourceType } from '../resources';
import { badRequest, conflict, invalid, notFound } from '../status';
import { checkIdentity, dryRunOf, parseBody } from './body';
import { namespaceDefaults, requireNamespace } from './namespaces';
import { groupResource, present } from './present';
import { ApiContext, ApiRequest, ApiResponse } from './types';

const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  return [...randomBytes(5)]
    .map(b => GENERATE_NAME_CHARS[b % GENERATE_NAME_CHARS.length])
    .join('');
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

/** Defaults an API create applies (a small subset of the real defaulting). */
function prepareForCreate(type: ResourceType, obj: KubeObject) {
  delete obj.metadata.deletionTimestamp;
  const status = initialStatus(type);
  if (status === undefined) delete obj.status;
  else obj.status = status;
  if (type.kind === 'Namespace') namespaceDefaults(obj);
  if (
    (type.kind === 'Deployment' || type.kind === 'ReplicaSet') &&
    isPlainObject(obj.spec)
  ) {
    if (obj.spec.replicas === undefined) obj.spec.replicas = 1;
  }
}

/**
 * Sets the managedFields a write leaves: who (`fieldManager`, else the
 * User-Agent) changed which fields, by Update or, for an apply patch, Apply
 * (then `applied` is what it declared).
 */
function recordFieldOwnership(
  req: ApiRequest,
  previous: KubeObject | undefined,
  obj: KubeObject,
  applied?: KubeObject,
) {
  const apply =
    req.verb === 'patch' && patchTypeOf(req.contentType) === 'apply';
  const entries = managedFieldsAfter({
    previous,
    next: obj,
    applied,
    owner: {
      manager: fieldManagerOf(req.query.get('fieldManager'), req.userAgent),
      operation: apply ? 'Apply' : 'Update',
      apiVersion: groupVersion(req.type.group, req.version),
      ...(req.subresource && { subresource: req.subresource }),
    },
  });
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** Shared by POST and by server-side apply of an absent object. */
export function createObject(
  ctx: ApiContext,
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
  prepareForCreate(req.type, obj);
  // An apply creates what it declared, so it owns that.
  recordFieldOwnership(req, undefined, obj, obj);
  ctx.validate(req.type, req.version, obj);
  requireNamespace(ctx.store, req.type, req.namespace);
  return store(ctx, req, obj, 'create');
}

/** Stores a validated object (or only pretends to, on a dry run) and answers it. */
function store(
  ctx: ApiContext,
  req: ApiRequest,
  obj: KubeObject,
  op: 'create' | 'update',
): ApiResponse {
  const stored = ctx.store[op](req.type, obj, { dryRun: dryRunOf(req.query) });
  return {
    code: op === 'create' ? 201 : 200,
    body: present(req.type, req.version, stored),
  };
}

export function create(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const input = parseBody(req.body, req.contentType);
  checkIdentity(req, input, false);
  return createObject(ctx, req, input);
}

/**
 * Merges a client's intended object with the stored one the way the status
 * subresource split requires: the main resource cannot change status, the
 * status subresource can change nothing else.
 */
export function splitStatus(
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

/**
 * Validates and stores an update whose resourceVersion precondition is in
 * `obj`; `applied` is what an apply patch declared.
 */
export function commitUpdate(
  ctx: ApiContext,
  req: ApiRequest,
  existing: KubeObject,
  obj: KubeObject,
  applied?: KubeObject,
): ApiResponse {
  const name = existing.metadata.name!;
  const wanted = obj.metadata.resourceVersion;
  if (wanted && wanted !== existing.metadata.resourceVersion) {
    throw conflict(groupResource(req.type), name);
  }
  obj.metadata.uid = existing.metadata.uid;
  if (req.type.kind === 'Namespace') namespaceDefaults(obj);
  recordFieldOwnership(req, existing, obj, applied);
  ctx.validate(req.type, req.version, obj);
  return store(ctx, req, obj, 'update');
}

export function update(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const input = parseBody(req.body, req.contentType);
  checkIdentity(req, input, true);
  const obj = input as KubeObject;
  const existing = ctx.store.get(req.type, req.namespace, req.name!);
  if (!existing) throw notFound(groupResource(req.type), req.name!);
  if (!obj.metadata.resourceVersion && req.type.custom) {
    throw invalid({ group: req.type.group, kind: req.type.kind }, req.name!, [
      {
        field: 'metadata.resourceVersion',
        reason: 'FieldValueInvalid',
        detail: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  }
  return commitUpdate(ctx, req, existing, splitStatus(req, existing, obj));
}
