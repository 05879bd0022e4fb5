/*
 * delete and deletecollection: DeleteOptions (preconditions, dryRun), what
 * a delete answers per kind, and namespace deletion with its contents.
 */
import { isPlainObject, KubeObject, timestamp } from '../objects';
import { groupVersion, RESOURCE_TYPES } from '../resources';
import { conflict, failure, notFound, success } from '../status';
import { dryRunOf, parseBody } from './body';
import { filtersOf, matches } from './filters';
import { DEFAULT_NAMESPACE } from './namespaces';
import { groupResource, listItem, present } from './present';
import { ApiContext, ApiRequest, ApiResponse } from './types';

interface DeleteOptions {
  resourceVersion?: string;
  uid?: string;
  dryRun: boolean;
}

function deleteOptions(req: ApiRequest): DeleteOptions {
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

export function deleteOne(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const name = req.name!;
  const opts = deleteOptions(req);
  if (req.type.kind === 'Namespace')
    return deleteNamespace(ctx, req, name, opts);
  const deleted = ctx.store.delete(req.type, req.namespace, name, opts);
  if (req.type.returnDeletedObject) {
    return { code: 200, body: present(req.type, req.version, deleted) };
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
function deleteNamespace(
  ctx: ApiContext,
  req: ApiRequest,
  name: string,
  opts: DeleteOptions,
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
  const existing = ctx.store.get(req.type, undefined, name);
  if (!existing) throw notFound(groupResource(req.type), name);
  if (!opts.dryRun) {
    if (
      opts.resourceVersion &&
      opts.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw conflict(groupResource(req.type), name);
    }
    for (const t of RESOURCE_TYPES) {
      if (!t.namespaced) continue;
      for (const o of ctx.store.list(t, name))
        ctx.store.delete(t, name, o.metadata.name!);
    }
  }
  const deleted = ctx.store.delete(req.type, undefined, name, opts);
  const body = present(req.type, req.version, deleted);
  body.metadata.deletionTimestamp = timestamp();
  body.status = { phase: 'Terminating' };
  return { code: 200, body };
}

export function deleteCollection(
  ctx: ApiContext,
  req: ApiRequest,
): ApiResponse {
  const f = filtersOf(req);
  const opts = deleteOptions(req);
  const items: KubeObject[] = [];
  const matching = ctx.store.list(req.type, req.namespace, o => matches(f, o));
  for (const o of matching) {
    if (req.type.kind === 'Namespace') {
      if (o.metadata.name === DEFAULT_NAMESPACE) continue;
      items.push(
        deleteNamespace(ctx, req, o.metadata.name!, { dryRun: opts.dryRun })
          .body as KubeObject,
      );
    } else {
      items.push(
        ctx.store.delete(req.type, o.metadata.namespace, o.metadata.name!, {
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
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items: items.map(o => listItem(req, o)),
    },
  };
}
