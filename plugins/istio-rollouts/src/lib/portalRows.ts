import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  CanaryVerdict,
  ClusterMetricsStatus,
  ClusterStatus,
  PortalHealthResponse,
  PortalRolloutRow,
  RoutePhase,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import { sharesOf } from './split';

/**
 * One line of the portal page's table: the server's row with the words each
 * column shows, sorts, searches and filters by. Flat strings, because the
 * core-components Table filters by a column's `field` value.
 */
export interface PortalTableRow {
  /** `<rolloutId>/<kind>[<index>]`: unique per route. */
  id: string;
  row: PortalRolloutRow;
  /** Each entity as the page names it and the ref its link is built from. */
  entities: Array<{ ref: string; name: string }>;
  /** The entities' names, for search and sort. */
  entityNames: string;
  /** Each entity's owner, humanized (`team-bookinfo`); the Owner filter's values. */
  owners: string[];
  /** The cluster's title, else its name. */
  cluster: string;
  namespace: string;
  /** `http[0] reviews-route` */
  route: string;
  phase: RoutePhase;
  label: string;
  /** `v1 90% · v2 10%` */
  split: string;
  plan?: string;
  stale: boolean;
  /** The server's verdict on the route's canary (see {@link withHealth}). */
  verdict?: CanaryVerdict;
  /**
   * The Health filter's value: `failing`, `not enough traffic`, `healthy`, or `no verdict`; undefined until the
   * health was read.
   */
  health?: string;
  /** Why the row has no verdict, after `No verdict: `. */
  noVerdict?: string;
}

/** How an entity is named: its title, else its ref without the defaults (`reviews`, `api:payments`). */
export function entityName(entity: { ref: string; title?: string }): string {
  if (entity.title) return entity.title;
  return humanize(entity.ref, 'component');
}

/** An owner ref as short as it stays unambiguous: `team-bookinfo`, `user:jane`. */
export function ownerName(owner: string): string {
  return humanize(owner, 'group');
}

function humanize(ref: string, defaultKind: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind });
  } catch {
    // The server sends full refs; anything else is shown as it came.
    return ref;
  }
}

/** A split in a few characters, in route order, 0 % destinations included (they say what is staged or retired). */
export function compactSplit(split: PortalRolloutRow['split']): string {
  if (split.length === 0) return 'no destination';
  return sharesOf(split.map(s => ({ host: s.subset, weight: s.weight })))
    .map(s => `${s.key} ${s.percent}%`)
    .join(' · ');
}

const byText = (a: string, b: string) =>
  a.localeCompare(b, 'en', { numeric: true });

/** The table's default order: by entity, then cluster, namespace, VirtualService and route. */
export function compareRows(a: PortalTableRow, b: PortalTableRow): number {
  return (
    byText(a.entityNames, b.entityNames) ||
    byText(a.cluster, b.cluster) ||
    byText(a.namespace, b.namespace) ||
    byText(a.row.virtualService, b.row.virtualService) ||
    byText(a.row.route.kind, b.row.route.kind) ||
    a.row.route.index - b.row.route.index
  );
}

/** The table's rows of an answer, in the default order. */
export function portalTableRows(
  rows: PortalRolloutRow[],
  clusters: ClusterStatus[],
): PortalTableRow[] {
  const titles = new Map(clusters.map(c => [c.name, c.title ?? c.name]));
  return rows
    .map(row => {
      const entities = row.entities.map(e => ({
        ref: e.ref,
        name: entityName(e),
      }));
      return {
        id: `${row.rolloutId}/${row.route.kind}[${row.route.index}]`,
        row,
        entities,
        entityNames: entities.map(e => e.name).join(', '),
        owners: [
          ...new Set(
            row.entities.flatMap(e => (e.owner ? [ownerName(e.owner)] : [])),
          ),
        ],
        cluster: titles.get(row.cluster) ?? row.cluster,
        namespace: row.namespace,
        route: routeLabel(row.route),
        phase: row.phase,
        label: row.label,
        split: compactSplit(row.split),
        ...(row.plan && { plan: row.plan.label }),
        stale: row.stale === true,
      };
    })
    .sort(compareRows);
}

/** How many VirtualServices of each cluster the page shows from memory (its last-known state). */
export function staleVirtualServices(
  rows: PortalRolloutRow[],
): Map<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!row.stale) continue;
    const set = ids.get(row.cluster) ?? new Set<string>();
    set.add(row.rolloutId);
    ids.set(row.cluster, set);
  }
  return new Map([...ids].map(([cluster, set]) => [cluster, set.size]));
}

/** A verdict's status in the Health column's words. */
const HEALTH_WORDS: Record<CanaryVerdict['status'], string> = {
  failing: 'failing',
  insufficientTraffic: 'not enough traffic',
  healthy: 'healthy',
};

/** The Health filter's value of a row the server gave no verdict. */
export const NO_VERDICT = 'no verdict';

/** Why a row of a cluster with this metrics status has no verdict; any other: `metrics unavailable`. */
const WHY_NO_VERDICT: Record<string, string> = {
  ok: 'no canary and stable subset to compare',
  notConfigured: 'no Prometheus for this cluster',
};

const routeKey = (rolloutId: string, route: { kind: string; index: number }) =>
  `${rolloutId}#${route.kind}#${route.index}`;

/**
 * The rows with the server's verdict on each, joined by rollout, route kind and index: nothing is judged here. A
 * row without one says why. `health` is the last answer read, if any; `failed`, whether the last read failed.
 */
export function withHealth(
  rows: PortalTableRow[],
  health: PortalHealthResponse | undefined,
  failed: boolean,
): PortalTableRow[] {
  if (!health) {
    return rows.map(row =>
      failed
        ? { ...row, health: NO_VERDICT, noVerdict: 'metrics unavailable' }
        : { ...row, noVerdict: 'canary health not read yet' },
    );
  }
  // An answer of another shape (an older backend) is no verdict, never a broken page.
  const status = new Map(
    (Array.isArray(health.clusters) ? health.clusters : []).map(c => [
      c.name,
      c.status,
    ]),
  );
  const verdicts = new Map(
    (Array.isArray(health.routes) ? health.routes : []).map(r => [
      routeKey(r.rolloutId, r.route),
      r.verdict,
    ]),
  );
  return rows.map(row => {
    const verdict = verdicts.get(routeKey(row.row.rolloutId, row.row.route));
    if (verdict) {
      return {
        ...row,
        verdict,
        health: HEALTH_WORDS[verdict.status] ?? verdict.status,
      };
    }
    return {
      ...row,
      health: NO_VERDICT,
      noVerdict:
        WHY_NO_VERDICT[status.get(row.row.cluster) ?? ''] ??
        'metrics unavailable',
    };
  });
}

/** Most urgent first: failing, then not yet judged, healthy, and rows without a verdict. */
const HEALTH_RANK: Record<string, number> = {
  failing: 0,
  insufficientTraffic: 1,
  healthy: 2,
};

/** The Health column's order (failing first), then the default order. */
export function compareHealth(a: PortalTableRow, b: PortalTableRow): number {
  const rank = (r: PortalTableRow) =>
    r.verdict ? HEALTH_RANK[r.verdict.status] ?? 3 : 4;
  return rank(a) - rank(b) || compareRows(a, b);
}

/**
 * The clusters whose rows have no verdict because their metrics could not be read (`unavailable`) or have no
 * Prometheus (`notConfigured`), for a notice above the table. A cluster the page shows no row of is left out, and
 * so is one whose rollouts could not be read (`ClusterUnavailable`): the cluster's own error panel says so.
 */
export function clustersWithoutHealth(
  health: PortalHealthResponse | undefined,
  rows: PortalRolloutRow[],
): ClusterMetricsStatus[] {
  if (!Array.isArray(health?.clusters)) return [];
  const shown = new Set(rows.map(r => r.cluster));
  return health.clusters.filter(
    c =>
      c.status !== 'ok' &&
      shown.has(c.name) &&
      c.error?.reason !== 'ClusterUnavailable',
  );
}
