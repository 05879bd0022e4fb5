import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  HistoryEvent,
  HistoryEventStatus,
  HistoryPage,
  redactRouteStanza,
  RolloutAction,
  RolloutRouteChange,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';
import { Knex } from 'knex';
import { heaviestDestination, soleDestination } from './stanzas';

const TABLE = 'rollout_history';
const MAX_PAGE = 100;
/** How far back `stableSubsetBefore` looks; a rollout's changes are far fewer. */
const STABLE_SCAN_LIMIT = 500;
/** At most this many unresolved changes are handed to one read; there are rarely more than one or two. */
const UNRESOLVED_LIMIT = 100;
const UNRESOLVED: HistoryEventStatus[] = ['pending', 'unknown'];

/** A history event before the database gives it an id and a status. */
export type NewHistoryEvent = Omit<
  HistoryEvent,
  'id' | 'createdAt' | 'status'
> & {
  createdAt?: Date;
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

interface Row {
  id: number | string;
  entity_ref: string;
  actor: string;
  created_at: string | Date;
  rollout_id: string;
  cluster: string;
  namespace: string;
  virtual_service: string;
  route_kind: string;
  route_index: number;
  route_name: string | null;
  action: string;
  before: string;
  after: string;
  summary: string;
  reason: string | null;
  warning: string | null;
  routes: string | null;
  status: string;
  objects: string | null;
  resource_version: string | null;
  outcome_at: string | Date | null;
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

  private constructor(private readonly db: Knex) {}

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
    const createdAt = (event.createdAt ?? new Date()).toISOString();
    const row: Omit<Row, 'id'> = {
      entity_ref: event.entityRef,
      actor: event.actor,
      created_at: createdAt,
      rollout_id: event.rolloutId,
      cluster: event.cluster,
      namespace: event.namespace,
      virtual_service: event.virtualService,
      route_kind: event.route.kind,
      route_index: event.route.index,
      route_name: event.route.name ?? null,
      action: event.action,
      before: JSON.stringify(redactRouteStanza(event.before) ?? null),
      after: JSON.stringify(redactRouteStanza(event.after) ?? null),
      summary: event.summary,
      reason: event.reason ?? null,
      warning: event.warning ?? null,
      routes: event.routes
        ? JSON.stringify(event.routes.map(redactChange))
        : null,
      status,
      objects: null,
      resource_version: null,
      outcome_at: status === 'pending' ? null : createdAt,
      ...extra,
    };
    const [inserted] = await this.db<Row>(TABLE).insert(row, ['id']);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return toEvent({ ...row, id });
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

function redactChange(change: RolloutRouteChange): RolloutRouteChange {
  return {
    ...change,
    before: redactRouteStanza(change.before),
    after: redactRouteStanza(change.after),
  };
}

/** A row as the API shows it; stanzas are redacted again, for rows written before redaction. */
function toEvent(row: Row): HistoryEvent {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    actor: row.actor,
    createdAt: new Date(row.created_at).toISOString(),
    rolloutId: row.rollout_id,
    cluster: row.cluster,
    namespace: row.namespace,
    virtualService: row.virtual_service,
    route: {
      kind: row.route_kind as RouteKind,
      index: row.route_index,
      ...(row.route_name ? { name: row.route_name } : {}),
    },
    action: row.action as RolloutAction,
    status: (row.status ?? 'applied') as HistoryEventStatus,
    before: redactRouteStanza(JSON.parse(row.before)),
    after: redactRouteStanza(JSON.parse(row.after)),
    summary: row.summary,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.warning ? { warning: row.warning } : {}),
    ...(row.routes
      ? {
          routes: (JSON.parse(row.routes) as RolloutRouteChange[]).map(
            redactChange,
          ),
        }
      : {}),
  };
}
