import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  HistoryEvent,
  HistoryEventStatus,
  HistoryPage,
  OutsideChange,
  RolloutRouteChange,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';
import { Knex } from 'knex';
import type { RouteRecord } from './drift';
import { GitProposals } from './GitProposals';
import { insertRow, NewHistoryEvent, Row, rowOf, TABLE, toEvent } from './rows';
import { heaviestDestination, soleDestination } from './stanzas';

const MAX_PAGE = 100;
/** How far back `stableSubsetBefore` looks; a rollout's changes are far fewer. */
const STABLE_SCAN_LIMIT = 500;
/** At most this many unresolved changes are handed to one read; there are rarely more than one or two. */
const UNRESOLVED_LIMIT = 100;
const UNRESOLVED: HistoryEventStatus[] = ['pending', 'unknown'];
/** What drift detection compares with: changes that reached, or may reach, the cluster. */
const LANDED_OR_LANDING: HistoryEventStatus[] = ['applied', ...UNRESOLVED];
const OUTSIDE_KEY = [
  'rollout_id',
  'route_kind',
  'route_index',
  'observed_version',
] as const;

export type { NewHistoryEvent } from './rows';

/** A record about one route of a rollout, for drift detection. */
export type RolloutRouteRecord = RouteRecord & {
  rolloutId: string;
  route: { kind: RouteKind; index: number };
};

/** An object a change's plan patches. */
export interface ObjectRef {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
}

/** The outcome `finish` gives a recorded change. */
export type HistoryOutcome = Exclude<HistoryEventStatus, 'pending'>;

/** A recorded change whose outcome is not known yet, with what resolving it needs. */
export interface UnresolvedChange {
  id: string;
  entityRef: string;
  rolloutId: string;
  status: 'pending' | 'unknown';
  route: { kind: RouteKind; index: number; name?: string };
  /** ISO 8601 time the change was recorded, just before its write. */
  createdAt: string;
  /** The VirtualService's resourceVersion the plan was made on. */
  resourceVersion?: string;
  /** The objects the plan patches, in order. */
  objects: ObjectRef[];
  /** The route's stanza before and as planned after, as stored (redacted). */
  before: unknown;
  after: unknown;
  /** Every route a switch touches, as stored (redacted). */
  routes?: RolloutRouteChange[];
  /** Set when a later applied change was planned on the same resourceVersion: this one cannot have landed. */
  laterAppliedOnSameVersion?: boolean;
}

/**
 * The history of rollout changes, in the plugin's own database (SQLite or
 * PostgreSQL through Backstage's database service). A change is recorded
 * before its write (`begin`, status `pending`) and given its outcome after
 * (`finish`), so a backend that stops in between leaves a `pending` row to be
 * resolved on a later read, never a change the history lost. Route stanzas are
 * redacted to what the read model shows when written and again when read.
 * Nothing here is cached: every replica of the backend reads the same rows.
 */
export class HistoryStore {
  static async create(database: DatabaseService): Promise<HistoryStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-istio-rollouts-backend',
          'migrations',
        ),
      });
    }
    return new HistoryStore(client);
  }

  /** Changes proposed in Git (GitOps mode), until the cluster shows them. */
  readonly proposals: GitProposals;

  private constructor(private readonly db: Knex) {
    this.proposals = new GitProposals(db);
  }

  /** Records a change before it is written: status `pending`, until `finish`. */
  async begin(
    event: NewHistoryEvent & { objects: ObjectRef[]; resourceVersion: string },
  ): Promise<HistoryEvent> {
    const { objects, resourceVersion, ...rest } = event;
    return this.insert(rest, 'pending', {
      objects: JSON.stringify(objects),
      resource_version: resourceVersion,
    });
  }

  /**
   * Gives a recorded change its outcome (and a warning, when given). Only a
   * change still `pending` or `unknown` moves: a final outcome is never
   * rewritten, so the write's own answer and a resolution on another replica
   * cannot undo each other. Returns the event as it now stands (its `status`
   * tells whether this call moved it); undefined when there is no such row.
   */
  async finish(
    id: string,
    outcome: HistoryOutcome,
    options: { warning?: string } = {},
  ): Promise<HistoryEvent | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    await this.db<Row>(TABLE)
      .where('id', Number(id))
      .whereIn('status', UNRESOLVED)
      .update({
        status: outcome,
        outcome_at: new Date().toISOString(),
        ...(options.warning !== undefined && { warning: options.warning }),
      });
    const row = await this.db<Row>(TABLE).where('id', Number(id)).first();
    return row && toEvent(row);
  }

  /**
   * The changes of these rollouts whose outcome is not known yet (`pending`
   * or `unknown`), newest first, at most 100: what a read resolves (see
   * `resolveOutcome`) against the VirtualServices it has just read.
   */
  async unresolved(rolloutIds: string[]): Promise<UnresolvedChange[]> {
    if (rolloutIds.length === 0) return [];
    const rows: Row[] = await this.db<Row>(TABLE)
      .whereIn('status', UNRESOLVED)
      .whereIn('rollout_id', [...new Set(rolloutIds)])
      .orderBy('id', 'desc')
      .limit(UNRESOLVED_LIMIT);
    const overtaken = await this.overtaken(rows);
    return rows.map(row => {
      const event = toEvent(row);
      return {
        id: event.id,
        entityRef: event.entityRef,
        rolloutId: event.rolloutId,
        status: event.status as UnresolvedChange['status'],
        route: event.route,
        createdAt: event.createdAt,
        ...(row.resource_version !== null && {
          resourceVersion: row.resource_version,
        }),
        objects: row.objects ? JSON.parse(row.objects) : [],
        before: event.before,
        after: event.after,
        ...(event.routes && { routes: event.routes }),
        ...(overtaken.has(event.id) && { laterAppliedOnSameVersion: true }),
      };
    });
  }

  /**
   * The ids of these rows after which an applied change of the same
   * VirtualService was planned on the same resourceVersion. That write was
   * guarded by the version, so it found the object unchanged: the earlier
   * change never landed, and its own guarded write never can.
   */
  private async overtaken(rows: Row[]): Promise<Set<string>> {
    const planned = rows.filter(r => r.resource_version !== null);
    if (planned.length === 0) return new Set();
    const later: Array<Pick<Row, 'id' | 'rollout_id' | 'resource_version'>> =
      await this.db<Row>(TABLE)
        .select('id', 'rollout_id', 'resource_version')
        .where('status', 'applied')
        .whereIn('rollout_id', [...new Set(planned.map(r => r.rollout_id))])
        .whereIn('resource_version', [
          ...new Set(planned.map(r => r.resource_version!)),
        ])
        .where('id', '>', Math.min(...planned.map(r => Number(r.id))));
    return new Set(
      planned
        .filter(r =>
          later.some(
            l =>
              Number(l.id) > Number(r.id) &&
              l.rollout_id === r.rollout_id &&
              l.resource_version === r.resource_version,
          ),
        )
        .map(r => String(r.id)),
    );
  }

  /**
   * Inserts a change known to be applied, in one step. The actions record
   * with `begin` and `finish`; this stays for tests and for importing
   * changes made elsewhere.
   */
  async add(event: NewHistoryEvent): Promise<HistoryEvent> {
    return this.insert(event, 'applied', {});
  }

  private async insert(
    event: NewHistoryEvent,
    status: HistoryEventStatus,
    extra: Partial<Row>,
  ): Promise<HistoryEvent> {
    return insertRow(this.db, { ...rowOf(event, status), ...extra });
  }

  /** The last change a step plan recorded (any outcome), if any: how a plan tells its own lost write from another's. */
  async lastPlanChange(planId: string): Promise<HistoryEvent | undefined> {
    const row = await this.db<Row>(TABLE)
      .where('plan_id', planId)
      .orderBy('id', 'desc')
      .first();
    return row && toEvent(row);
  }

  /** One page of an entity's history, newest first, whatever the outcome of each change. */
  async list(
    entityRef: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<HistoryPage> {
    const limit = Math.min(Math.max(options.limit ?? 20, 1), MAX_PAGE);
    const query = this.db<Row>(TABLE)
      .where('entity_ref', entityRef)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (options.cursor !== undefined) {
      query.where('id', '<', Number(options.cursor));
    }
    const rows = await query;
    const events = rows.slice(0, limit).map(toEvent);
    return rows.length > limit
      ? { events, nextCursor: events[events.length - 1].id }
      : { events };
  }

  /**
   * The routes of these rollouts that have an applied change in the history:
   * the only ones `stableSubsetBefore` can know anything about. One query, so
   * a read of rollouts nobody changed here costs the database that only.
   */
  async routesWithHistory(
    rolloutIds: string[],
  ): Promise<Array<{ rolloutId: string; kind: RouteKind; index: number }>> {
    if (rolloutIds.length === 0) return [];
    const rows: Array<Pick<Row, 'rollout_id' | 'route_kind' | 'route_index'>> =
      await this.db<Row>(TABLE)
        .distinct('rollout_id', 'route_kind', 'route_index')
        .whereIn('rollout_id', rolloutIds)
        .where('status', 'applied');
    return rows.map(r => ({
      rolloutId: r.rollout_id,
      kind: r.route_kind as RouteKind,
      index: Number(r.route_index),
    }));
  }

  /**
   * What drift detection needs of these rollouts' history, in one query: per
   * route, the newest row of each action and status (applied, pending,
   * unknown; outside changes included), one record per route a row touched
   * (a switch touches two). Enough to find the last change Backstage applied
   * to a route, its writes in flight since, and the newest outside change.
   */
  async routeRecords(rolloutIds: string[]): Promise<RolloutRouteRecord[]> {
    if (rolloutIds.length === 0) return [];
    const newest = this.db<Row>(TABLE)
      .max('id')
      .whereIn('rollout_id', [...new Set(rolloutIds)])
      .whereIn('status', LANDED_OR_LANDING)
      .groupBy('rollout_id', 'route_kind', 'route_index', 'action', 'status');
    const rows: Row[] = await this.db<Row>(TABLE).whereIn('id', newest);
    return rows.flatMap(row => {
      const event = toEvent(row);
      const base = {
        id: Number(row.id),
        rolloutId: event.rolloutId,
        source: event.outside ? ('outside' as const) : ('backstage' as const),
        status: event.status,
        createdAt: event.createdAt,
        ...(event.outside && { outside: event.outside }),
        ...(!event.outside &&
          row.resource_version !== null && {
            plannedOn: row.resource_version,
          }),
      };
      const routes = event.routes?.length
        ? event.routes
        : [{ ...event.route, after: event.after }];
      return routes.map(r => ({
        ...base,
        route: { kind: r.kind, index: r.index },
        after: r.after,
      }));
    });
  }

  /**
   * Records a change a read found that Backstage did not make, once: the
   * rollout, route and the VirtualService's version it was read at are
   * unique, so replicas (or reads) that find the same state insert one row.
   * Returns the row as stored, whoever inserted it.
   */
  async recordOutsideChange(
    event: Omit<NewHistoryEvent, 'action' | 'actor' | 'outside'> & {
      outside: OutsideChange;
    },
  ): Promise<HistoryEvent> {
    const { outside, ...rest } = event;
    const { resourceVersion, ...found } = outside;
    const row = {
      ...rowOf(
        { ...rest, action: 'outsideChange', actor: found.by ?? 'unknown' },
        'applied',
      ),
      observed_version: resourceVersion,
      outside: JSON.stringify(found),
    };
    await this.db<Row>(TABLE)
      .insert(row)
      .onConflict([...OUTSIDE_KEY])
      .ignore();
    const stored = await this.db<Row>(TABLE)
      .where({
        rollout_id: row.rollout_id,
        route_kind: row.route_kind,
        route_index: row.route_index,
        observed_version: resourceVersion,
      })
      .first();
    return toEvent(stored!);
  }

  /**
   * The subset a rollback of the route returns to: the one that held all its
   * traffic before its latest rollout began. That is the sole destination of
   * the newest recorded "before" that sent everything to one subset, rollbacks
   * excepted (they end a rollout, they don't start one). When no recorded
   * change started from such a state, the rollout began before the history
   * did, and its stable side is the subset the oldest recorded "before" gave
   * the most traffic (ties: the first listed), as the read model names a
   * canary's stable subset. Only `applied` changes count: the others never
   * reached the cluster, or may not have. Undefined without history.
   */
  async stableSubsetBefore(
    rolloutId: string,
    route: { kind: RouteKind; index: number },
  ): Promise<string | undefined> {
    const rows: Array<Pick<Row, 'before' | 'action'>> = await this.db<Row>(
      TABLE,
    )
      .select('before', 'action')
      .where({
        rollout_id: rolloutId,
        route_kind: route.kind,
        route_index: route.index,
        status: 'applied',
      })
      .orderBy('id', 'desc')
      .limit(STABLE_SCAN_LIMIT);
    for (const row of rows) {
      if (row.action === 'rollback') continue;
      const subset = soleDestination(JSON.parse(row.before));
      if (subset) return subset;
    }
    const oldest = rows[rows.length - 1];
    return oldest && heaviestDestination(JSON.parse(oldest.before));
  }
}
