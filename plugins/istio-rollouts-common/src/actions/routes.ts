import type { RouteKind } from '../api';
import { ActionValidationError } from './ActionValidationError';
import { hostOf, HostContext } from './planning';
import { asArray, asRecord, asString, JsonRecord, pointer } from './json';
import type { ActionKubeObject } from './types';

export const ROUTE_KINDS: readonly RouteKind[] = ['http', 'tls', 'tcp'];

/** One entry of a route's `route` list, read from the raw VirtualService. */
export interface LocatedDestination {
  /** Position in the route's `route` list. */
  index: number;
  /** The raw `destination` object: host, subset, port and whatever else is written there. */
  destination: JsonRecord;
  host: string;
  subset?: string;
  /** The raw `port` selector, if any. */
  port?: unknown;
  /** The weight as written, undefined when the field is absent. */
  weight?: number;
  /** The share Istio gives it: the weight, else 100 for a lone destination and 0 otherwise. */
  effectiveWeight: number;
  /** How actions name it: its subset, or its host when it has no subset (a host-level split). */
  key: string;
  /** JSON Pointer of the entry, e.g. `/spec/http/0/route/1`. */
  path: string;
}

/** One route of a VirtualService, read from the raw object. */
export interface LocatedRoute {
  kind: RouteKind;
  index: number;
  name?: string;
  /** The raw stanza, e.g. `spec.http[0]`. */
  stanza: JsonRecord;
  destinations: LocatedDestination[];
  /** JSON Pointer of the stanza, e.g. `/spec/http/0`. */
  path: string;
  /** How messages name it: `http[0] "reviews-route"`, or `http[0]` when it has no name. */
  label: string;
}

/** The routes of one kind in a VirtualService. */
export function routesOf(vs: ActionKubeObject, kind: RouteKind): unknown[] {
  return asArray(asRecord(vs.spec)?.[kind]) ?? [];
}

/** Reads route `kind[index]` of a VirtualService (which must exist). */
export function readRoute(
  vs: ActionKubeObject,
  kind: RouteKind,
  index: number,
): LocatedRoute {
  const stanza = asRecord(routesOf(vs, kind)[index]) ?? {};
  const name = asString(stanza.name);
  const label = `${kind}[${index}]${name ? ` "${name}"` : ''}`;
  const path = pointer('spec', kind, index);
  const entries = asArray(stanza.route) ?? [];
  const destinations = entries.map((entry, j): LocatedDestination => {
    const raw = asRecord(entry) ?? {};
    const destination = asRecord(raw.destination) ?? {};
    const host = asString(destination.host) ?? '';
    const subset = asString(destination.subset);
    const weight = typeof raw.weight === 'number' ? raw.weight : undefined;
    return {
      index: j,
      destination,
      host,
      subset,
      port: destination.port,
      weight,
      effectiveWeight: weight ?? (entries.length === 1 ? 100 : 0),
      key: subset ?? host,
      path: `${path}/route/${j}`,
    };
  });
  return { kind, index, name, stanza, destinations, path, label };
}

function vsLabel(vs: ActionKubeObject): string {
  return `VirtualService "${vs.metadata?.name ?? ''}"`;
}

/**
 * Finds the route an action addresses: `{ kind, index }` or `{ kind, name }` (both may be given if they agree).
 * Throws an {@link ActionValidationError} on `route` when there is no such route.
 */
export function locateRoute(vs: ActionKubeObject, ref: unknown): LocatedRoute {
  const r = asRecord(ref);
  if (!r) {
    throw new ActionValidationError(
      'route',
      'must be { kind, index } or { kind, name }',
    );
  }
  const kind = r.kind as RouteKind;
  if (!ROUTE_KINDS.includes(kind)) {
    throw new ActionValidationError(
      'route.kind',
      `must be one of ${ROUTE_KINDS.join(', ')}, got ${JSON.stringify(r.kind)}`,
    );
  }
  const routes = routesOf(vs, kind);
  if (r.index !== undefined) {
    const index = r.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new ActionValidationError(
        'route.index',
        `must be a non-negative integer, got ${JSON.stringify(index)}`,
      );
    }
    if (index >= routes.length) {
      throw new ActionValidationError(
        'route',
        `${kind}[${index}] does not exist: ${vsLabel(vs)} has ${
          routes.length
        } ${kind} route${routes.length === 1 ? '' : 's'}`,
      );
    }
    const route = readRoute(vs, kind, index);
    if (r.name !== undefined && r.name !== route.name) {
      throw new ActionValidationError(
        'route',
        `${route.label} is not named ${JSON.stringify(r.name)}`,
      );
    }
    return route;
  }
  if (typeof r.name !== 'string' || r.name === '') {
    throw new ActionValidationError(
      'route',
      'must be { kind, index } or { kind, name }',
    );
  }
  const matches = routes
    .map((stanza, i) => (asRecord(stanza)?.name === r.name ? i : -1))
    .filter(i => i >= 0);
  if (matches.length === 0) {
    throw new ActionValidationError(
      'route',
      `no ${kind} route is named "${r.name}" in ${vsLabel(vs)}`,
    );
  }
  if (matches.length > 1) {
    throw new ActionValidationError(
      'route',
      `${matches.length} ${kind} routes are named "${r.name}" in ${vsLabel(
        vs,
      )}; address the route by index`,
    );
  }
  return readRoute(vs, kind, matches[0]);
}

/** Refuses a route that sends traffic nowhere the planner can weigh (delegate, redirect, direct response). */
export function requireDestinations(route: LocatedRoute): void {
  if (route.destinations.length === 0) {
    throw new ActionValidationError(
      'route',
      `${route.label} has no destinations (it redirects, delegates or answers directly)`,
    );
  }
  const hostless = route.destinations.find(d => d.host === '');
  if (hostless) {
    throw new ActionValidationError(
      'route',
      `destination ${hostless.index} of ${route.label} has no host`,
    );
  }
}

/**
 * Refuses a route whose destinations cannot be told apart by subset (or host, for destinations without subset),
 * since actions name destinations that way.
 */
export function requireDistinctKeys(
  route: LocatedRoute,
  ctx: HostContext,
): void {
  for (const d of route.destinations) {
    const first = findDestination(route, d.key, ctx);
    if (first && first !== d) {
      throw new ActionValidationError(
        'route',
        `destinations ${first.index} and ${d.index} of ${route.label} are both "${d.key}"; ` +
          'actions name destinations by subset (or host), so this route must be edited by hand',
      );
    }
  }
}

/**
 * The destination an action names: by subset, or by host (compared the Istio way) for destinations without a
 * subset.
 */
export function findDestination(
  route: LocatedRoute,
  key: string,
  ctx: HostContext,
): LocatedDestination | undefined {
  return (
    route.destinations.find(d => d.subset !== undefined && d.subset === key) ??
    route.destinations.find(
      d => d.subset === undefined && hostOf(ctx, d.host) === hostOf(ctx, key),
    )
  );
}
