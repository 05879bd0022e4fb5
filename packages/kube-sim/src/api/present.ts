/*
 * How stored objects are answered: at the version the client addressed, as
 * copies, so no caller can change the store through an answer.
 */
import { clone, KubeObject } from '../objects';
import { groupVersion, ResourceType } from '../resources';
import { ApiRequest } from './types';

/** The group/resource pair error Statuses name. */
export function groupResource(type: ResourceType) {
  return { group: type.group, resource: type.plural };
}

/** An object as answered at the requested version. */
export function present(
  type: ResourceType,
  version: string,
  obj: KubeObject,
): KubeObject {
  const out = clone(obj);
  return {
    ...out,
    apiVersion: groupVersion(type.group, version),
    kind: type.kind,
  };
}

/** A copy of `obj` as a list answers it. */
export function listItem(req: ApiRequest, obj: KubeObject): KubeObject {
  // Lists of built-in kinds omit the items' apiVersion/kind; custom resources keep them.
  if (req.type.custom) return present(req.type, req.version, obj);
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return clone(rest) as KubeObject;
}
