import type { RouteKind, RouteRef } from '../api';
import { routeLabel } from '../routeLabel';
import { ActionValidationError } from './ActionValidationError';
import { hostOf } from './planning';
import { asArray, asRecord, asString, pointer } from './json';
import type {
  ActionKubeObject,
  HostContext,
  LocatedDestination,
  LocatedRoute,
} from './types';

export type { LocatedDestination, LocatedRoute } from './types';

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
  const label = routeLabel({ kind, index, name });
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
export function locateRoute(vs: ActionKubeObject, ref: RouteRef): LocatedRoute {
  const { kind } = ref;
  const routes = routesOf(vs, kind);
  if (ref.index !== undefined) {
    const { index } = ref;
    if (index >= routes.length) {
      throw new ActionValidationError(
        'route',
        `${kind}[${index}] does not exist: ${vsLabel(vs)} has ${
          routes.length
        } ${kind} route${routes.length === 1 ? '' : 's'}`,
      );
    }
    const route = readRoute(vs, kind, index);
    if (ref.name !== undefined && ref.name !== route.name) {
      throw new ActionValidationError(
        'route',
        `${route.label} is not named ${JSON.stringify(ref.name)}`,
      );
    }
    return route;
  }
  const matches = routes
    .map((stanza, i) => (asRecord(stanza)?.name === ref.name ? i : -1))
    .filter(i => i >= 0);
  if (matches.length === 0) {
    throw new ActionValidationError(
      'route',
      `no ${kind} route is named "${ref.name}" in ${vsLabel(vs)}`,
    );
  }
  if (matches.length > 1) {
    throw new ActionValidationError(
      'route',
      `${matches.length} ${kind} routes are named "${ref.name}" in ${vsLabel(
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
