/**
 * Whether a route was changed outside Backstage: the route as a read finds it
 * against what the history recorded for it. Pure; the store reads the
 * records and writes what this decides.
 */
import {
  HistoryEventStatus,
  OutsideChange,
  parseDestinations,
  RouteDestination,
} from '@internal/plugin-istio-rollouts-common';

/** One recorded row about a route, as drift detection needs it. */
export interface RouteRecord {
  /** The row's id: a larger one was recorded later. */
  id: number;
  /** A change Backstage made (or is making), or an outside change a read found. */
  source: 'backstage' | 'outside';
  status: HistoryEventStatus;
  /** The route's stanza after the row (for a switch, this route's). */
  after: unknown;
  createdAt: string;
  /** Set on an outside change. */
  outside?: OutsideChange;
  /** A change Backstage made: the VirtualService's resourceVersion it was planned on. */
  plannedOn?: string;
}

export interface DriftAssessment {
  /** The route differs from the `after` of the last change Backstage applied to it. */
  drifted: boolean;
  /** That `after`; absent when Backstage never changed the route (then nothing is drift). */
  expected?: unknown;
  /** The outside change already recorded for the state the route is in, if any. */
  recorded?: RouteRecord;
  /** Set when the route's state is new to the history: record it as an outside change from `before`. */
  record?: { before: unknown };
}

/** The destinations of a route stanza as Istio reads them. */
export function destinationsOf(stanza: unknown): RouteDestination[] {
  const route = (stanza as { route?: unknown } | null | undefined)?.route;
  return parseDestinations(route);
}

function splitKey(stanza: unknown): string {
  return destinationsOf(stanza)
    .map(d => `${d.host}|${d.subset ?? ''}|${d.port ?? ''}|${d.weight}`)
    .sort()
    .join('\n');
}

/**
 * Whether two route stanzas send traffic alike: the same destinations (host,
 * subset, port) with the same weights, in any order. Matches, mirrors and
 * everything else are not compared: the history does not keep them.
 */
export function sameSplit(a: unknown, b: unknown): boolean {
  return splitKey(a) === splitKey(b);
}

const IN_FLIGHT: HistoryEventStatus[] = ['pending', 'unknown'];

/**
 * Whether an object read at `read` is no newer than the one a write was planned on: the write came after what the
 * read shows. resourceVersions are compared as numbers where both are (as etcd's are), else only for equality.
 */
function readPredates(read: string, plannedOn: string): boolean {
  return /^\d+$/.test(read) && /^\d+$/.test(plannedOn)
    ? BigInt(read) <= BigInt(plannedOn)
    : read === plannedOn;
}

/**
 * The route's drift from the records about it (any order):
 * - a read no newer than the object a Backstage change was planned on tells
 *   nothing (the change came after it);
 * - Backstage's last applied change is the expectation; without one there is
 *   none, and nothing is drift;
 * - a change Backstage recorded after it whose outcome is not known yet, and
 *   whose `after` the route shows, is Backstage's own write landing: no drift
 *   (its intent is recorded before the write, its outcome after);
 * - otherwise the route drifted when it differs from the expectation, and its
 *   state is new to the history when it differs from the newest applied or
 *   outside record too (so one state is recorded once, and a route put back
 *   by hand is recorded, without being drift).
 */
export function assessRoute(
  records: RouteRecord[],
  current: unknown,
  /** The VirtualService's resourceVersion the route was read at. */
  readAt?: string,
): DriftAssessment {
  const newestFirst = [...records].sort((a, b) => b.id - a.id);
  // A read older than a change Backstage made (or is making) says nothing about outside changes: under concurrent
  // writers (or a lagging cache) it shows a state Backstage itself has already moved on from.
  const stale =
    readAt !== undefined &&
    newestFirst.some(
      r =>
        r.source === 'backstage' &&
        (r.status === 'applied' || IN_FLIGHT.includes(r.status)) &&
        r.plannedOn !== undefined &&
        readPredates(readAt, r.plannedOn),
    );
  if (stale) return { drifted: false };
  const applied = newestFirst.find(
    r => r.source === 'backstage' && r.status === 'applied',
  );
  if (!applied) return { drifted: false };
  const landing = newestFirst.some(
    r =>
      r.source === 'backstage' &&
      r.id > applied.id &&
      IN_FLIGHT.includes(r.status) &&
      sameSplit(r.after, current),
  );
  if (landing) return { drifted: false, expected: applied.after };

  const latest = newestFirst.find(
    r => r.source === 'outside' || r === applied,
  )!;
  const known = sameSplit(latest.after, current);
  const drifted = !sameSplit(applied.after, current);
  return {
    drifted,
    expected: applied.after,
    ...(drifted &&
      known &&
      latest.source === 'outside' && { recorded: latest }),
    ...(!known && { record: { before: latest.after } }),
  };
}

/** The change from one stanza to another in words: `v1 50→70, v2 50→30`, `v3 added at 0`, `v1 removed`. */
export function describeChange(before: unknown, after: unknown): string {
  const [from, to] = [destinationsOf(before), destinationsOf(after)];
  const name = (d: RouteDestination) => d.subset ?? d.host;
  // Named as the tab names them; by port too only where a name repeats.
  const repeated = [from, to].some(
    list => new Set(list.map(name)).size < list.length,
  );
  const key = (d: RouteDestination) =>
    repeated && d.port ? `${name(d)}:${d.port}` : name(d);
  const was = new Map(from.map(d => [key(d), d.weight]));
  const now = new Map(to.map(d => [key(d), d.weight]));
  const changes: string[] = [];
  for (const [k, weight] of now) {
    const old = was.get(k);
    if (old === undefined) changes.push(`${k} added at ${weight}`);
    else if (old !== weight) changes.push(`${k} ${old}→${weight}`);
  }
  for (const k of was.keys()) {
    if (!now.has(k)) changes.push(`${k} removed`);
  }
  return changes.join(', ') || 'destinations reordered';
}
