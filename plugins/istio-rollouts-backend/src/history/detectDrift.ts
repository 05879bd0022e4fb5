import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterObjects,
  KubeObject,
  RolloutReadModel,
  routeLabel,
  RouteDrift,
} from '@internal/plugin-istio-rollouts-common';
import { routeChangedBy } from './changedBy';
import { assessRoute, describeChange, destinationsOf } from './drift';
import type { HistoryStore, RolloutRouteRecord } from './HistoryStore';
import { routeKey } from './routeKey';

function virtualServiceOf(
  objects: ClusterObjects[],
  rollout: RolloutReadModel,
): KubeObject | undefined {
  return objects
    .find(o => o.cluster === rollout.cluster)
    ?.virtualServices.find(
      vs =>
        vs.metadata?.name === rollout.name &&
        (vs.metadata?.namespace ?? 'default') === rollout.namespace,
    );
}

/**
 * The routes a read finds changed outside Backstage, by {@link routeKey}:
 * each route of the rollouts against the history's records of it (one
 * query), and each state new to the history recorded as an `outsideChange`,
 * naming who made it where the VirtualService's managedFields tell. Never
 * throws: the read it rides on must not fail because of it.
 */
export async function detectDrift(options: {
  history: Pick<HistoryStore, 'routeRecords' | 'recordOutsideChange'>;
  entityRef: string;
  objects: ClusterObjects[];
  rollouts: RolloutReadModel[];
  logger: LoggerService;
}): Promise<Map<string, RouteDrift>> {
  const { history, entityRef, objects, rollouts, logger } = options;
  const found = new Map<string, RouteDrift>();
  if (rollouts.length === 0) return found;
  try {
    const byRoute = new Map<string, RolloutRouteRecord[]>();
    for (const record of await history.routeRecords(rollouts.map(r => r.id))) {
      const key = routeKey(record.rolloutId, record.route);
      byRoute.set(key, [...(byRoute.get(key) ?? []), record]);
    }
    for (const rollout of rollouts) {
      const virtualService = virtualServiceOf(objects, rollout);
      const resourceVersion = virtualService?.metadata?.resourceVersion;
      if (!virtualService || !resourceVersion) continue;
      const spec = (virtualService.spec ?? {}) as Record<string, unknown>;
      for (const route of rollout.routes) {
        const records = byRoute.get(routeKey(rollout.id, route));
        if (!records) continue;
        const list = spec[route.kind];
        const current = Array.isArray(list) ? list[route.index] : undefined;
        const assessment = assessRoute(records, current, resourceVersion);
        let outside = assessment.recorded && {
          ...assessment.recorded.outside!,
          detectedAt: assessment.recorded.createdAt,
        };
        if (assessment.record) {
          const event = await history.recordOutsideChange({
            entityRef,
            rolloutId: rollout.id,
            cluster: rollout.cluster,
            namespace: rollout.namespace,
            virtualService: rollout.name,
            route: { kind: route.kind, index: route.index, name: route.name },
            before: assessment.record.before,
            after: current,
            summary: `${routeLabel(route)}: ${describeChange(
              assessment.record.before,
              current,
            )}`,
            outside: {
              resourceVersion,
              ...routeChangedBy(virtualService, route.kind),
            },
          });
          outside = { ...event.outside!, detectedAt: event.createdAt };
        }
        if (!assessment.drifted || !outside) continue;
        const { operation: _operation, ...drift } = outside;
        found.set(routeKey(rollout.id, route), {
          ...drift,
          expected: destinationsOf(assessment.expected),
        });
      }
    }
  } catch (e) {
    logger.warn(
      `Could not compare ${rollouts.length} rollouts with their history: ${
        (e as Error).message
      }`,
    );
  }
  return found;
}
