import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  HistoryPage,
  ActionRequest,
  PlanCommandRequest,
  PlanCommandResponse,
  PlansResponse,
  PortalHealthResponse,
  PortalRolloutsResponse,
  RolloutActionResponse,
  RolloutMetricsResponse,
  RolloutsResponse,
  StartPlanRequest,
  StartPlanResponse,
} from '@internal/plugin-istio-rollouts-common';

/**
 * The Istio Rollouts backend, as the frontend calls it. Every call but the
 * portal-wide read is for one catalog entity; the backend loads the entity
 * itself with the caller's credentials.
 * @public
 */
export interface IstioRolloutsApi {
  /** The entity's rollouts in every cluster, with what the caller may do to each. */
  getRollouts(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RolloutsResponse>;

  /**
   * The canary health of the entity's rollouts: Istio's telemetry per subset
   * and the verdict on each canary route, per cluster. Read apart from
   * `getRollouts`, so a slow Prometheus never holds up the routes and buttons.
   */
  getRolloutMetrics(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RolloutMetricsResponse>;

  /**
   * Plans (`dryRun: true`) or applies an action on one route. Rejects with a
   * `ResponseError` from `@backstage/errors`: 400 names the field, 403, 404,
   * 409 when the VirtualService changed since it was loaded (`body.error.reason`
   * `Changed` or `Deleted`) or a controller owns it (`OwnedByController`).
   */
  runAction(
    entity: CompoundEntityRef,
    request: ActionRequest,
  ): Promise<RolloutActionResponse>;

  /** The changes applied to the entity's rollouts, newest first. */
  getHistory(
    entity: CompoundEntityRef,
    options?: { limit?: number; cursor?: string },
  ): Promise<HistoryPage>;

  /** The step plan templates, the entity's plans (running and paused first, then ended, newest first), and whether the caller may start one. */
  getPlans(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<PlansResponse>;

  /**
   * Describes (`dryRun: true`) or starts a step plan on one route. Rejects with a `ResponseError`: 400 names the
   * field (`steps[2].setWeight: …`), 403, 409 when the VirtualService changed since it was loaded.
   */
  startPlan(
    entity: CompoundEntityRef,
    request: StartPlanRequest,
  ): Promise<StartPlanResponse>;

  /** Gives a running plan a command (next, skipToEnd, pause, resume, abort); 409 when its state refuses it. */
  commandPlan(
    entity: CompoundEntityRef,
    planId: string,
    request: PlanCommandRequest,
  ): Promise<PlanCommandResponse>;

  /**
   * Every active canary, blue/green release and running step plan the caller
   * may see, across entities and clusters: the portal-wide page's rows, as the
   * server chose and worded them.
   */
  getPortalRollouts(options?: {
    signal?: AbortSignal;
  }): Promise<PortalRolloutsResponse>;

  /**
   * The canary verdict of every portal-wide row that has a canary and a stable
   * subset to compare, per cluster's Prometheus. Read apart from
   * `getPortalRollouts`, so a slow Prometheus never holds up the rows.
   */
  getPortalHealth(options?: {
    signal?: AbortSignal;
  }): Promise<PortalHealthResponse>;
}

/** @public */
export const istioRolloutsApiRef = createApiRef<IstioRolloutsApi>({
  id: 'plugin.istio-rollouts.service',
});
