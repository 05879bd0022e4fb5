/*
 * The patch formats the API server accepts, as pure functions over JSON:
 * RFC 6902 JSON patch, RFC 7386 merge patch, and an approximation of
 * server-side apply.
 */
import { applyPatch, Operation } from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';
import { clone, isPlainObject } from './objects';
import { badRequest, patchRejected } from './status';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(
  contentType: string | undefined,
): PatchType | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (mediaType) {
    case JSON_PATCH:
      return 'json';
    case MERGE_PATCH:
      return 'merge';
    case STRATEGIC_MERGE_PATCH:
      return 'strategic';
    case APPLY_PATCH:
      return 'apply';
    default:
      return undefined;
  }
}

/** Decodes a JSON patch document; anything but an array of objects is a 400, as in the API server. */
export function parseJsonPatch(body: string): Operation[] {
  let ops: unknown;
  try {
    ops = JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (!Array.isArray(ops) || !ops.every(isPlainObject)) {
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  return ops as unknown as Operation[];
}

/**
 * Applies RFC 6902 operations. Any failure to apply (a failed `test`, a
 * missing path, an unknown op) is the API server's generic 422.
 */
export function applyJsonPatch<T>(doc: T, ops: Operation[]): T {
  try {
    return applyPatch(clone(doc), ops, true, true).newDocument;
  } catch {
    // Whatever failed, the API server answers NewGenericServerResponse(422), which drops the text.
    throw patchRejected();
  }
}

/** RFC 7386: objects merge recursively, `null` removes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target)
    ? clone(target)
    : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function parseMergePatch(body: string): Record<string, unknown> {
  let patch: unknown;
  try {
    patch = JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (!isPlainObject(patch)) {
    throw badRequest(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  }
  return patch;
}

/** Parses a server-side apply body: a single YAML (or JSON) object. */
export function parseApplyPatch(body: string): Record<string, unknown> {
  let docs;
  try {
    docs = parseAllDocuments(body);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const errors = list.flatMap(d => d.errors);
  if (errors.length)
    throw badRequest(`error decoding YAML: ${errors[0].message}`);
  const values = list
    .map(d => d.toJS())
    .filter(v => v !== null && v !== undefined);
  if (values.length !== 1 || !isPlainObject(values[0])) {
    throw badRequest(
      'error decoding YAML: the apply configuration must be a single object',
    );
  }
  return values[0];
}

/**
 * Server-side apply, simplified: without managedFields there is no ownership,
 * so the applied configuration is merged into the live object (maps merge,
 * lists and scalars are replaced, as for CRD lists without list-type keys),
 * and fields the manager stopped applying are not removed.
 */
export function applyConfiguration(
  live: unknown,
  applied: Record<string, unknown>,
): unknown {
  return mergePatch(live, applied);
}
