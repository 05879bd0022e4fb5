import {
  HistoryEvent,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';
import type { Knex } from 'knex';
import { routeKey } from './routeKey';
import { insertRow, NewHistoryEvent, Row, rowOf, TABLE, toEvent } from './rows';

/** At most this many proposals are looked at per read; a route rarely has more than one waiting. */
const WAITING_LIMIT = 100;
/** Backstage's own changes of a route that replace a proposal made before them. */
const REPLACING = ['applied', 'pending', 'unknown', 'proposed'];

/** One route a proposal changes, and its stanza once the change is applied (redacted). */
export interface ProposedRoute {
  kind: RouteKind;
  index: number;
  after: unknown;
}

/** A change proposed in Git that no later change of its routes through Backstage replaced. */
export interface WaitingProposal {
  event: HistoryEvent & { gitops: NonNullable<HistoryEvent['gitops']> };
  /** Every route the change touches (a switch touches two). */
  routes: ProposedRoute[];
}

function routesOf(event: HistoryEvent): ProposedRoute[] {
  return event.routes?.length
    ? event.routes.map(r => ({ kind: r.kind, index: r.index, after: r.after }))
    : [
        {
          kind: event.route.kind,
          index: event.route.index,
          after: event.after,
        },
      ];
}

/**
 * The history's changes proposed in Git (GitOps mode, status `proposed`):
 * recorded when the commit is delivered, waiting while the cluster does not
 * show them, and settled as `applied` once a read finds every route they
 * touch as they leave it (Argo CD or Flux synced the merge). A proposal stops
 * waiting when a later change of one of its routes is made through Backstage
 * (applied, in flight, or proposed again): that change is the route's intent
 * now. The row keeps saying `proposed` and where the commit is.
 */
export class GitProposals {
  constructor(private readonly db: Knex) {}

  /** Records a change proposed in Git: status `proposed`, with where it is. */
  async propose(
    event: NewHistoryEvent & { gitops: NonNullable<HistoryEvent['gitops']> },
  ): Promise<HistoryEvent> {
    return insertRow(this.db, rowOf(event, 'proposed'));
  }

  /** The proposals of these rollouts still waiting for the cluster, newest first. */
  async waiting(rolloutIds: string[]): Promise<WaitingProposal[]> {
    if (rolloutIds.length === 0) return [];
    const ids = [...new Set(rolloutIds)];
    const proposed: Row[] = await this.db<Row>(TABLE)
      .where('status', 'proposed')
      .whereIn('rollout_id', ids)
      .orderBy('id', 'desc')
      .limit(WAITING_LIMIT);
    if (proposed.length === 0) return [];
    const oldest = Math.min(...proposed.map(r => Number(r.id)));
    // Backstage's own changes since the oldest proposal (outside changes are not intents: a proposal outlives them).
    const later: Row[] = await this.db<Row>(TABLE)
      .whereIn('rollout_id', ids)
      .whereIn('status', REPLACING)
      .whereNull('observed_version')
      .where('id', '>', oldest);
    const newestChange = new Map<string, number>();
    for (const row of later) {
      for (const r of routesOf(toEvent(row))) {
        const key = routeKey(row.rollout_id, r);
        newestChange.set(
          key,
          Math.max(newestChange.get(key) ?? 0, Number(row.id)),
        );
      }
    }
    return proposed.flatMap(row => {
      const event = toEvent(row) as WaitingProposal['event'];
      const routes = routesOf(event);
      const replaced = routes.some(
        r =>
          (newestChange.get(routeKey(row.rollout_id, r)) ?? 0) > Number(row.id),
      );
      return replaced || !event.gitops ? [] : [{ event, routes }];
    });
  }

  /**
   * Settles a proposal the cluster now shows: `proposed` becomes `applied`.
   * Only a proposal moves, so replicas that settle the same one at once
   * cannot undo each other. True when this call moved it.
   */
  async settle(id: string): Promise<boolean> {
    if (!/^\d+$/.test(id)) return false;
    const moved = await this.db<Row>(TABLE)
      .where('id', Number(id))
      .where('status', 'proposed')
      .update({ status: 'applied', outcome_at: new Date().toISOString() });
    return moved > 0;
  }
}
