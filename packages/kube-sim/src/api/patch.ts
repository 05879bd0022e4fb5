/*
 * PATCH: which patch types a resource accepts, their options (`force`,
 * `fieldManager`), applying JSON, merge, strategic (as merge) and apply
 * patches to the object at the requested version, and the checks the
 * patched object must pass before it is committed as an update.
 */
import { Operation } from 'fast-json-patch';
import { isPlainObject, KubeObject } from '../objects';
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
} from '../patch';
import { groupVersion, ResourceType } from '../resources';
import {
  badRequest,
  conflict,
  invalid,
  notFound,
  unsupportedMediaType,
} from '../status';
import { checkIdentity } from './body';
import { groupResource, present } from './present';
import { ApiContext, ApiRequest, ApiResponse } from './types';
import { commitUpdate, createObject, splitStatus } from './write';

function acceptedPatchTypes(type: ResourceType): string[] {
  return type.custom
    ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
}

/** The patch type of the request, after the checks of its options. */
function checkedPatchType(req: ApiRequest) {
  const patchType = patchTypeOf(req.contentType);
  if (!patchType || (patchType === 'strategic' && req.type.custom)) {
    throw unsupportedMediaType(acceptedPatchTypes(req.type));
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
  return patchType;
}

export function patch(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const patchType = checkedPatchType(req);
  const gr = groupResource(req.type);
  const name = req.name!;
  const stored = ctx.store.get(req.type, req.namespace, name);

  if (patchType === 'apply') {
    const applied = parseApplyPatch(req.body ?? '');
    checkIdentity(req, applied, true);
    if (!stored) {
      if (req.subresource) throw notFound(gr, name);
      return createObject(ctx, req, applied);
    }
    const current = present(req.type, req.version, stored);
    const patched = applyConfiguration(current, applied) as KubeObject;
    return finishPatch(ctx, req, stored, patched, applied as KubeObject);
  }

  if (!stored) throw notFound(gr, name);
  const current = present(req.type, req.version, stored);
  let patched: KubeObject;
  if (patchType === 'json') {
    const ops = parseJsonPatch(req.body ?? '');
    checkStaleVersionOps(req, stored, ops);
    patched = applyJsonPatch(current, ops);
  } else {
    patched = mergePatch(
      current,
      parseMergePatch(req.body ?? ''),
    ) as KubeObject;
  }
  return finishPatch(ctx, req, stored, patched);
}

/**
 * A JSON patch that replaces metadata.resourceVersion with a value other
 * than the stored one carries a stale precondition: the real API server
 * answers 409 Conflict. (A failed `test` of it is an ordinary failed test:
 * 422, as on a real server.)
 */
function checkStaleVersionOps(
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
      throw conflict(groupResource(req.type), stored.metadata.name!);
    }
  }
}

function finishPatch(
  ctx: ApiContext,
  req: ApiRequest,
  stored: KubeObject,
  patched: KubeObject,
  applied?: KubeObject,
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
  return commitUpdate(
    ctx,
    req,
    stored,
    splitStatus(req, stored, patched),
    applied,
  );
}
