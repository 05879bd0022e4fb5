import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ClusterStatus,
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
