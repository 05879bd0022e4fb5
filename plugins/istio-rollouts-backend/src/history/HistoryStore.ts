import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  HistoryEvent,
  HistoryPage,
  RolloutAction,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';
import { Knex } from 'knex';

const TABLE = 'rollout_history';
const MAX_PAGE = 100;
/** How far back `stableSubsetBefore` looks; a rollout's changes are far fewer. */
const STABLE_SCAN_LIMIT = 500;

/** A history event before the database gives it an id. */
export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'createdAt'> & {
  createdAt?: Date;
};

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
}

/**
 * The history of applied rollout changes, in the plugin's own database
 * (SQLite or PostgreSQL through Backstage's database service). Nothing here is
 * cached: every replica of the backend reads the same rows.
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

  async add(event: NewHistoryEvent): Promise<HistoryEvent> {
    const createdAt = (event.createdAt ?? new Date()).toISOString();
    const [inserted] = await this.db<Row>(TABLE).insert(
      {
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
        before: JSON.stringify(event.before ?? null),
        after: JSON.stringify(event.after ?? null),
        summary: event.summary,
        reason: event.reason ?? null,
        warning: event.warning ?? null,
        routes: event.routes ? JSON.stringify(event.routes) : null,
      },
      ['id'],
    );
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    const { createdAt: _ignored, ...rest } = event;
    return { ...rest, id: String(id), createdAt };
  }

  /** One page of an entity's history, newest first. */
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
   * The subset a rollback of the route returns to: the one that held all its
   * traffic before its latest rollout began. That is the sole destination of
   * the newest recorded "before" that sent everything to one subset, rollbacks
   * excepted (they end a rollout, they don't start one). When no recorded
   * change started from such a state, the rollout began before the history
   * did, and its stable side is the subset the oldest recorded "before" gave
   * the most traffic (ties: the first listed), as the read model names a
   * canary's stable subset. Undefined without history.
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
    before: JSON.parse(row.before),
    after: JSON.parse(row.after),
    summary: row.summary,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.warning ? { warning: row.warning } : {}),
    ...(row.routes ? { routes: JSON.parse(row.routes) } : {}),
  };
}

type Destination = {
  destination?: { host?: string; subset?: string };
  weight?: number;
};

function destinationsOf(stanza: unknown): Destination[] {
  const destinations = (stanza as { route?: unknown } | null)?.route;
  return Array.isArray(destinations) ? destinations : [];
}

/** The subset (or host) that gets all traffic of a route stanza, if one does. */
function soleDestination(stanza: unknown): string | undefined {
  const destinations = destinationsOf(stanza);
  if (destinations.length === 0) return undefined;
  // A lone destination without weight takes all traffic.
  const live =
    destinations.length === 1
      ? destinations
      : destinations.filter(d => (d.weight ?? 0) > 0);
  if (live.length !== 1) return undefined;
  const target = live[0].destination;
  return target?.subset ?? target?.host;
}

/** The subset (or host) with the largest share of a route stanza; the first listed on a tie. */
function heaviestDestination(stanza: unknown): string | undefined {
  const destinations = destinationsOf(stanza);
  let best: Destination | undefined;
  let bestWeight = -1;
  for (const d of destinations) {
    // Istio's reading: a lone destination without weight takes everything, several take 0 each.
    const weight = d.weight ?? (destinations.length === 1 ? 100 : 0);
    if (weight > bestWeight) {
      best = d;
      bestWeight = weight;
    }
  }
  return best?.destination?.subset ?? best?.destination?.host;
}
