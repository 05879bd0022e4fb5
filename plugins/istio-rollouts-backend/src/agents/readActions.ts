import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { EntityMetricsService } from '../service/EntityMetricsService';
import type { EntityRolloutsService } from '../service/EntityRolloutsService';
import { entityOf } from './agentCaller';
import { clusterLines, clusterSchema, rolloutSummaries } from './summaries';

/**
 * The read-only actions: an entity's rollouts as the tab shows them, and the canary health of its routes. Both
 * ask `.traffic.read` with the caller's credentials, like the HTTP API.
 */
export function registerReadActions(
  registry: ActionsRegistryService,
  services: { rollouts: EntityRolloutsService; metrics: EntityMetricsService },
): void {
  registry.register({
    name: 'list-rollouts',
    title: 'List the Istio rollouts of an entity',
    description:
      'Every route of the entity\u2019s Istio VirtualServices in every cluster: the traffic split per subset, the ' +
      'state in words (e.g. "canary 10%", "promoted \u2014 v1 retired"), the actions that would sensibly come next, ' +
      'a running step plan, and the resourceVersion to pass to a change. Read-only.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The catalog entity, e.g. component:default/reviews (kind and namespace default to component and default)',
            ),
        }),
      output: z =>
        z.object({
          clusters: clusterSchema(z),
          rollouts: z.array(z.record(z.string(), z.unknown())),
          notConfigured: z.string().optional(),
        }),
    },
    examples: [
      {
        title: 'The reviews canary',
        input: { entityRef: 'component:default/reviews' },
      },
    ],
    action: async ({ input, credentials }) => {
      const res = await services.rollouts.getRollouts(
        entityOf(input.entityRef),
        credentials,
      );
      return {
        output: {
          clusters: clusterLines(res.clusters),
          rollouts: rolloutSummaries(res.rollouts),
          ...(res.notConfigured && {
            notConfigured: res.notConfigured.message,
          }),
        },
      };
    },
  });

  registry.register({
    name: 'get-canary-health',
    title: 'Canary health of an entity\u2019s rollouts',
    description:
      'Istio telemetry from Prometheus per subset (requests per second, success rate, p99 latency) and the ' +
      'canary verdict of each route against the operator\u2019s thresholds ("healthy", "failing: 5 % errors vs ' +
      '0.2 %", "not enough traffic"). Read-only.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('The catalog entity, e.g. component:default/reviews'),
        }),
      output: z =>
        z.object({
          clusters: clusterSchema(z),
          rollouts: z.array(
            z.object({
              rolloutId: z.string(),
              subsets: z.array(
                z.object({
                  subset: z.string(),
                  requestsPerSecond: z.number().nullable(),
                  successRate: z.number().nullable(),
                  latencyP99Ms: z.number().nullable(),
                }),
              ),
              routes: z.array(
                z.object({
                  route: z.string(),
                  verdict: z.string(),
                  summary: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    examples: [
      {
        title: 'Is the reviews canary healthy?',
        input: { entityRef: 'component:default/reviews' },
      },
    ],
    action: async ({ input, credentials }) => {
      const res = await services.metrics.getMetrics(
        entityOf(input.entityRef),
        credentials,
      );
      return {
        output: {
          clusters: clusterLines(res.clusters),
          rollouts: res.rollouts.map(r => ({
            rolloutId: r.rolloutId,
            subsets: r.subsets.map(s => ({
              subset: s.subset,
              requestsPerSecond: s.requestsPerSecond,
              successRate: s.successRate,
              latencyP99Ms: s.latencyP99Ms,
            })),
            routes: r.routes.map(h => ({
              route: `${h.route.kind}[${h.route.index}]`,
              verdict: h.verdict.status,
              summary: h.verdict.summary,
            })),
          })),
        },
      };
    },
  });
}
