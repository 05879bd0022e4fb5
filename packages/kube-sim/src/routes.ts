/*
 * URL and method to route, the way the API server's path layout works:
 *   /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]
 *   /apis/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]
 * plus discovery, /version and health endpoints.
 */
import type { ResourceAddress, Verb } from './api/types';
import {
  findResource,
  isServedGroupVersion,
  RESOURCE_TYPES,
} from './resources';

export type Route =
  | { kind: 'health' }
  | { kind: 'version' }
  | {
      kind: 'discovery';
      doc: 'api' | 'apis' | 'group' | 'resources';
      group: string;
      version?: string;
    }
  | ({ kind: 'resource'; verb: Verb } & ResourceAddress)
  /** A path no handler exists for at all: plain-text `404 page not found`. */
  | { kind: 'noRoute' }
  /** A well-formed API path for a group/version/resource that isn't served: a NotFound Status. */
  | { kind: 'notFound' }
  | { kind: 'methodNotAllowed' };

export function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === '1' || w === 'true';
}

function namespacedPlural(
  group: string,
  version: string,
  plural: string,
): boolean {
  return RESOURCE_TYPES.some(
    t =>
      t.group === group &&
      t.versions.includes(version) &&
      t.plural === plural &&
      t.namespaced,
  );
}

export function parseRoute(
  method: string,
  pathname: string,
  query: URLSearchParams,
): Route {
  const seg = pathname
    .split('/')
    .filter(Boolean)
    .map(s => decodeURIComponent(s));
  const m = method.toUpperCase();
  if (seg.length >= 1 && ['healthz', 'livez', 'readyz'].includes(seg[0]))
    return { kind: 'health' };
  if (seg.length === 1 && seg[0] === 'version') return { kind: 'version' };

  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api') {
    if (seg.length === 1)
      return m === 'GET'
        ? { kind: 'discovery', doc: 'api', group: '' }
        : { kind: 'methodNotAllowed' };
    group = '';
    version = seg[1];
    rest = seg.slice(2);
  } else if (seg[0] === 'apis') {
    if (seg.length === 1)
      return m === 'GET'
        ? { kind: 'discovery', doc: 'apis', group: '' }
        : { kind: 'methodNotAllowed' };
    group = seg[1];
    if (seg.length === 2) {
      if (!RESOURCE_TYPES.some(t => t.group === group))
        return { kind: 'notFound' };
      return m === 'GET'
        ? { kind: 'discovery', doc: 'group', group }
        : { kind: 'methodNotAllowed' };
    }
    version = seg[2];
    rest = seg.slice(3);
  } else {
    return { kind: 'noRoute' };
  }
  if (!isServedGroupVersion(group, version)) return { kind: 'notFound' };
  if (rest.length === 0) {
    return m === 'GET'
      ? { kind: 'discovery', doc: 'resources', group, version }
      : { kind: 'methodNotAllowed' };
  }

  let namespace: string | undefined;
  let plural: string;
  let name: string | undefined;
  let subresource: string | undefined;
  let extra: string[];
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    namespacedPlural(group, version, rest[2])
  ) {
    [, namespace, plural, name, subresource, ...extra] = rest;
  } else {
    [plural, name, subresource, ...extra] = rest;
  }
  const type = findResource(group, version, plural);
  if (!type || extra.length > 0) return { kind: 'notFound' };
  // Namespaced objects are only addressable under /namespaces/{ns}/.
  if (type.namespaced && namespace === undefined && name !== undefined)
    return { kind: 'notFound' };
  if (
    subresource !== undefined &&
    !(subresource === 'status' && type.hasStatus)
  ) {
    return { kind: 'notFound' };
  }

  const base = {
    kind: 'resource' as const,
    type,
    version,
    namespace,
    name,
    subresource,
  };
  let verb: Verb | undefined;
  if (name !== undefined) {
    if (m === 'GET') verb = isWatch(query) && !subresource ? 'watch' : 'get';
    else if (m === 'PUT') verb = 'update';
    else if (m === 'PATCH') verb = 'patch';
    else if (m === 'DELETE' && !subresource) verb = 'delete';
  } else {
    const collectionInScope = !type.namespaced || namespace !== undefined;
    if (m === 'GET') verb = isWatch(query) ? 'watch' : 'list';
    else if (m === 'POST' && collectionInScope) verb = 'create';
    else if (m === 'DELETE' && collectionInScope) verb = 'deletecollection';
  }
  if (!verb) return { kind: 'methodNotAllowed' };
  return { ...base, verb };
}
