/*
 * Reading a write's body and options: parsing, dryRun, and the checks of
 * the body's apiVersion/kind/name/namespace against the URL.
 */
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '../objects';
import { groupVersion } from '../resources';
import { badRequest, failure } from '../status';
import { ApiRequest } from './types';

export function parseBody(
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

export function dryRunOf(query: URLSearchParams): boolean {
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

/** Checks the body's apiVersion/kind/name/namespace against the URL. */
export function checkIdentity(
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
