import type { Knex } from 'knex';
import {
  HistoryAction,
  HistoryEvent,
  HistoryEventStatus,
  OutsideChange,
  redactRouteStanza,
  RolloutRouteChange,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';

/** A history event before the database gives it an id and a status. */
export type NewHistoryEvent = Omit<
  HistoryEvent,
  'id' | 'createdAt' | 'status'
> & {
  createdAt?: Date;
};

/** The history's table. */
export const TABLE = 'rollout_history';

/** A row of the history's table. */
export interface Row {
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
  /** An outside change: the VirtualService's resourceVersion it was first read at. */
  observed_version: string | null;
  /** An outside change: JSON of its manager, operation and time. */
  outside: string | null;
  /** A step plan's change: the plan's id and step. */
  plan_id: string | null;
  plan_step: number | null;
  /** The actions registry's action that made the change, if one did. */
  channel: string | null;
  /** A change proposed in Git: JSON of where it is. */
  gitops: string | null;
}

export function redactChange(change: RolloutRouteChange): RolloutRouteChange {
  return {
    ...change,
    before: redactRouteStanza(change.before),
    after: redactRouteStanza(change.after),
  };
}

/** What an outside change's row says of how it was found. */
function outsideOf(
  resourceVersion: string,
  json: string | null,
): OutsideChange {
  const found = json
    ? (JSON.parse(json) as Omit<OutsideChange, 'resourceVersion'>)
    : {};
  return { resourceVersion, ...found };
}

/** A row as the API shows it; stanzas are redacted again, for rows written before redaction. */
export function toEvent(row: Row): HistoryEvent {
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
    action: row.action as HistoryAction,
    ...(row.plan_id !== null &&
      row.plan_id !== undefined && {
        plan: { id: row.plan_id, step: row.plan_step ?? 0 },
      }),
    ...(row.channel && { channel: row.channel }),
    ...(row.gitops && { gitops: JSON.parse(row.gitops) }),
    ...(row.observed_version !== null &&
      row.observed_version !== undefined && {
        outside: outsideOf(row.observed_version, row.outside),
      }),
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

/** An event as a row; stanzas redacted. */
export function rowOf(
  event: NewHistoryEvent,
  status: HistoryEventStatus,
): Omit<Row, 'id'> {
  const createdAt = (event.createdAt ?? new Date()).toISOString();
  return {
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
    observed_version: null,
    outside: null,
    plan_id: event.plan?.id ?? null,
    plan_step: event.plan?.step ?? null,
    channel: event.channel ?? null,
    gitops: event.gitops ? JSON.stringify(event.gitops) : null,
  };
}

/** Inserts a row and answers it as an event, with the id the database gave it. */
export async function insertRow(
  db: Knex,
  row: Omit<Row, 'id'>,
): Promise<HistoryEvent> {
  const [inserted] = await db<Row>(TABLE).insert(row, ['id']);
  const id = typeof inserted === 'object' ? inserted.id : inserted;
  return toEvent({ ...row, id });
}
