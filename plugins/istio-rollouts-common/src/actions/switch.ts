import type { JsonPatchOperation, RouteRef } from '../api';
import { ActionValidationError } from './ActionValidationError';
import { asArray, asRecord, copy, jsonEqual, pointer } from './json';
import { destinationGuard } from './operations';
import { hostOf, virtualServicePatch } from './planning';
import { locateRoute, readRoute, routesOf } from './routes';
import { requireSubsetDefined } from './subsets';
import type {
  LocatedDestination,
  LocatedRoute,
  PlanContext,
  Planned,
} from './types';

/** A blue/green pair: a header-matched route to the idle side, and the default route to the live side. */
export interface HeaderRoutePair {
  header: LocatedRoute;
  fallback: LocatedRoute;
}

const PAIR_SHAPE =
  'switch needs a blue/green header route pair: an http route that matches a header and sends all its traffic ' +
  'to one subset, followed by the default http route (no match) that sends all its traffic to another subset ' +
  'of the same host';

/** The header conditions of a route's matches, with their position. */
export function headerConditions(route: LocatedRoute): Array<{
  match: number;
  header: string;
  condition: Record<string, unknown>;
}> {
  return (asArray(route.stanza.match) ?? []).flatMap((m, match) =>
    Object.entries(asRecord(asRecord(m)?.headers) ?? {}).map(
      ([header, condition]) => ({
        match,
        header,
        condition: asRecord(condition) ?? {},
      }),
    ),
  );
}

/** The route's only destination, when it has one and it names a subset. */
export function loneSubsetDestination(
  route: LocatedRoute,
): LocatedDestination | undefined {
  const [only, ...rest] = route.destinations;
  return only?.subset !== undefined && rest.length === 0 ? only : undefined;
}

/** Whether an http route matches everything: no `match`, or an empty one. */
function isDefaultRoute(route: LocatedRoute): boolean {
  const match = route.stanza.match;
  return (
    match === undefined ||
    match === null ||
    (Array.isArray(match) && match.length === 0)
  );
}

/**
 * The header route pairs of a VirtualService: each http route that matches on a header and sends everything to
 * one subset, placed before the first default http route (the catch-all; routes after it are unreachable), which
 * sends everything to another subset of the same host.
 */
export function findHeaderRoutePairs(
  ctx: Pick<PlanContext, 'virtualService' | 'namespace' | 'hostOptions'>,
): HeaderRoutePair[] {
  const routes = routesOf(ctx.virtualService, 'http').map((_, i) =>
    readRoute(ctx.virtualService, 'http', i),
  );
  const fallback = routes.find(isDefaultRoute);
  const live = fallback && loneSubsetDestination(fallback);
  if (!fallback || !live) return [];
  return routes
    .slice(0, fallback.index)
    .filter(header => {
      const idle = loneSubsetDestination(header);
      return (
        idle !== undefined &&
        headerConditions(header).length > 0 &&
        idle.subset !== live.subset &&
        hostOf(ctx, idle.host) === hostOf(ctx, live.host)
      );
    })
    .map(header => ({ header, fallback }));
}

function describePairs(pairs: HeaderRoutePair[]): string {
  return pairs.map(p => `${p.header.label} → ${p.fallback.label}`).join(', ');
}

function choosePair(
  ctx: PlanContext,
  ref: RouteRef | undefined,
): HeaderRoutePair {
  const pairs = findHeaderRoutePairs(ctx);
  const vsLabel = `VirtualService "${ctx.name}"`;
  if (ref === undefined) {
    if (pairs.length === 0) {
      throw new ActionValidationError(
        'action',
        `${vsLabel} has no header route pair; ${PAIR_SHAPE}`,
      );
    }
    if (pairs.length > 1) {
      throw new ActionValidationError(
        'route',
        `${vsLabel} has ${pairs.length} header route pairs (${describePairs(
          pairs,
        )}); name the header route to switch`,
      );
    }
    return pairs[0];
  }
  const route = locateRoute(ctx.virtualService, ref);
  if (route.kind !== 'http') {
    throw new ActionValidationError(
      'route.kind',
      'switch works on http routes, which are the only ones that match headers',
    );
  }
  const candidates = pairs.filter(
    p => p.header.index === route.index || p.fallback.index === route.index,
  );
  if (candidates.length === 0) {
    throw new ActionValidationError(
      'route',
      `${route.label} is not part of a header route pair; ${PAIR_SHAPE}`,
    );
  }
  if (candidates.length > 1) {
    throw new ActionValidationError(
      'route',
      `${route.label} is the default route of ${
        candidates.length
      } header route pairs (${describePairs(
        candidates,
      )}); name the header route to switch`,
    );
  }
  return candidates[0];
}

/** The operations that make destination `d` point where `other` points: its subset, and its port when they differ. */
function takeOver(
  d: LocatedDestination,
  other: LocatedDestination,
): JsonPatchOperation[] {
  const base = `${d.path}/destination`;
  const operations: JsonPatchOperation[] = [
    destinationGuard(d),
    { op: 'replace', path: `${base}/subset`, value: other.subset },
  ];
  if (!jsonEqual(d.port, other.port)) {
    if (other.port === undefined) {
      operations.push({ op: 'remove', path: `${base}/port` });
    } else {
      operations.push({
        op: d.port === undefined ? 'add' : 'replace',
        path: `${base}/port`,
        value: copy(other.port),
      });
    }
  }
  return operations;
}

/**
 * The rename that keeps a route's name true when its subset changes: each `-`, `_` or `.` separated part of the
 * name that is the old subset becomes the new one. None when the name does not name the old subset.
 */
function routeRename(
  route: LocatedRoute,
  from: string,
  to: string,
): { operations: JsonPatchOperation[]; note: string } | undefined {
  const name = route.name;
  if (name === undefined) return undefined;
  const parts = name.split(/([-_.])/);
  if (!parts.includes(from)) return undefined;
  const renamed = parts.map(p => (p === from ? to : p)).join('');
  const path = pointer('spec', 'http', route.index, 'name');
  return {
    operations: [
      { op: 'test', path, value: name },
      { op: 'replace', path, value: renamed },
    ],
    note: `route ${name} renamed ${renamed}, since it now reaches ${to}`,
  };
}

/**
 * `switch`: swaps the subsets of a header route pair, so the idle side becomes live and the old live side stays
 * reachable by the header. A header condition `exact: <idle subset>` is rewritten to name the old live subset;
 * other header conditions are left as written, and the summary says so. A route whose name names its old subset
 * is renamed after its new one.
 */
export function planSwitch(
  ctx: PlanContext,
  ref: RouteRef | undefined,
): Planned {
  const { header, fallback } = choosePair(ctx, ref);
  const idle = loneSubsetDestination(header)!;
  const live = loneSubsetDestination(fallback)!;
  for (const d of [idle, live]) {
    requireSubsetDefined('route', d.subset!, d.host, ctx);
  }

  const headerOperations: JsonPatchOperation[] = [];
  const headerNotes: string[] = [];
  for (const { match, header: name, condition } of headerConditions(header)) {
    if (condition.exact === idle.subset) {
      const path = pointer(
        'spec',
        'http',
        header.index,
        'match',
        match,
        'headers',
        name,
        'exact',
      );
      headerOperations.push(
        { op: 'test', path, value: idle.subset },
        { op: 'replace', path, value: live.subset },
      );
      headerNotes.push(`header ${name}: ${idle.subset}→${live.subset}`);
    } else {
      const [operator, value] = Object.entries(condition)[0] ?? ['any', ''];
      headerNotes.push(
        `header ${name} (${operator} ${JSON.stringify(
          value,
        )}) kept: it does not name subset ${idle.subset}, and now reaches ${
          live.subset
        }`,
      );
    }
  }

  // A route named after the subset it sent to (`green-by-header`) would name the wrong side after the switch.
  const renames = [
    routeRename(header, idle.subset!, live.subset!),
    routeRename(fallback, live.subset!, idle.subset!),
  ].flatMap(r => (r ? [r] : []));
  const operations = [
    ...takeOver(idle, live),
    ...headerOperations,
    ...takeOver(live, idle),
    ...renames.flatMap(r => r.operations),
  ];
  return {
    patches: virtualServicePatch(ctx, operations),
    primary:
      ref === undefined ? fallback : locateRoute(ctx.virtualService, ref),
    routes: [header, fallback],
    summary:
      `switch: ${fallback.label} ${live.subset}→${idle.subset} (live), ` +
      `${header.label} ${idle.subset}→${live.subset}; ${[
        ...headerNotes,
        ...renames.map(r => r.note),
      ].join('; ')}`,
  };
}
