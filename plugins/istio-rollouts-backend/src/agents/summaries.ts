import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type {
  ClusterMetricsStatus,
  ClusterStatus,
  Rollout,
} from '@internal/plugin-istio-rollouts-common';

/** The zod the actions registry hands to a schema. */
export type RegistryZod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** Each cluster's state in a line: its name, `ok` or why not. */
export function clusterLines(
  clusters: Array<ClusterStatus | ClusterMetricsStatus>,
) {
  return clusters.map(c => ({
    name: c.name,
    status: c.status,
    ...(c.error && { error: c.error.message }),
  }));
}

/** The schema of {@link clusterLines}. */
export const clusterSchema = (z: RegistryZod) =>
  z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      error: z.string().optional(),
    }),
  );

/**
 * A rollout as an agent needs it: compact (no raw stanzas, subsets' workloads as images and ready pods), with the
 * server's own words for each route's state and next steps, so an assistant repeats what the tab says.
 */
export function rolloutSummaries(rollouts: Rollout[]) {
  return rollouts.map(r => ({
    rolloutId: r.id,
    cluster: r.cluster,
    namespace: r.namespace,
    virtualService: r.name,
    resourceVersion: r.resourceVersion,
    state: r.state.label,
    ...(r.readOnly && { readOnly: r.readOnly.message }),
    ...(r.stale && { stale: `last seen ${r.stale.lastSeen}` }),
    allowedActions: r.allowedActions,
    routes: r.routes.map(route => ({
      route: { kind: route.kind, index: route.index, name: route.name },
      match: route.match,
      state: route.state.label,
      split: route.destinations.map(d => ({
        subset: d.subset ?? d.host,
        weight: d.weight,
      })),
      next: route.state.next.map(n => n.label),
      ...(route.plan && { plan: route.plan.label }),
      ...(route.drift && { changedOutsideBackstage: true }),
    })),
    subsets: r.subsets.map(s => ({
      name: s.name,
      workloads: s.workloads.map(
        w =>
          `${w.name} ${w.readyReplicas}/${w.replicas} ready (${w.images.join(
            ', ',
          )})`,
      ),
    })),
  }));
}
