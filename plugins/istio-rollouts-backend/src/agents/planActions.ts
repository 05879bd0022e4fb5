import type { AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import type { StepPlanRecord } from '@internal/plugin-istio-rollouts-common';
import type { PlanService } from '../plans';
import type { EntityRolloutsService } from '../service/EntityRolloutsService';
import { entityOf, requireUser } from './agentCaller';

function planOutput(record: StepPlanRecord | undefined, summary: string) {
  return {
    output: {
      summary,
      ...(record && {
        planId: record.id,
        status: record.state.status,
        progress: record.progress.label,
        ...(record.progress.next && { next: record.progress.next.what }),
      }),
    },
  };
}

/**
 * Step plans for agents: start one from a template (a dry run unless `apply`), go on to the next step or to the
 * end, and abort (the runner rolls the route back). The same service, permissions and history as the tab.
 */
export function registerPlanActions(
  registry: ActionsRegistryService,
  services: {
    plans: PlanService;
    rollouts: EntityRolloutsService;
    auth: AuthService;
  },
): void {
  const output = (z: any) =>
    z.object({
      summary: z.string(),
      planId: z.string().optional(),
      status: z.string().optional(),
      progress: z.string().optional(),
      next: z.string().optional(),
    });

  registry.register({
    name: 'start-plan',
    title: 'Start a step plan on a route',
    description:
      'Starts a configured plan template (e.g. "10-25-50-100 every 5 min with analysis") on one route: the ' +
      'backend then moves the canary step by step, judged by Prometheus, rolling back a failing canary. A dry ' +
      'run unless apply is true. The subsets default to the route\u2019s stable and canary.',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe('e.g. component:default/reviews'),
          rolloutId: z.string().describe('<cluster>/<namespace>/<name>'),
          routeIndex: z.number().int().min(0),
          template: z.string().describe('The name of a configured template'),
          stableSubset: z.string().optional(),
          canarySubset: z.string().optional(),
          reason: z.string().max(2000).optional(),
          apply: z.boolean().optional(),
        }),
      output,
    },
    action: async ({ input, credentials }) => {
      const user = requireUser(
        services.auth,
        credentials,
        'istio-rollouts:start-plan',
      );
      const ref = entityOf(input.entityRef);
      const read = await services.rollouts.getRollouts(ref, user);
      const rollout = read.rollouts.find(r => r.id === input.rolloutId);
      const route = rollout?.routes.find(
        r => r.kind === 'http' && r.index === input.routeIndex,
      );
      if (!rollout || !route) {
        throw new NotFoundError(
          `No http route ${input.routeIndex} in ${input.rolloutId}; list-rollouts gives the entity\u2019s routes`,
        );
      }
      const res = await services.plans.start(
        ref,
        {
          rolloutId: rollout.id,
          resourceVersion: rollout.resourceVersion,
          route: { kind: 'http', index: route.index },
          stableSubset:
            input.stableSubset ?? route.planOffer?.stableSubset ?? '',
          canarySubset:
            input.canarySubset ?? route.planOffer?.canarySubset ?? '',
          template: input.template,
          ...(input.reason && { reason: input.reason }),
          dryRun: input.apply !== true,
        },
        user,
      );
      return planOutput(res.record, res.summary);
    },
  });

  const command = (
    name: string,
    title: string,
    description: string,
    pick: (input: any) => 'next' | 'skipToEnd' | 'abort',
    extra: (z: any) => Record<string, unknown> = () => ({}),
  ) =>
    registry.register({
      name,
      title,
      description,
      attributes: { readOnly: false, destructive: true, idempotent: false },
      schema: {
        input: z =>
          z.object({
            entityRef: z.string().describe('e.g. component:default/reviews'),
            planId: z.string().describe('The plan\u2019s id, e.g. "12"'),
            reason: z.string().max(2000).optional(),
            ...extra(z),
          }),
        output,
      },
      action: async ({ input, credentials }) => {
        const user = requireUser(
          services.auth,
          credentials,
          `istio-rollouts:${name}`,
        );
        const ref = entityOf(input.entityRef);
        const type = pick(input);
        let resourceVersion: string | undefined;
        if (type === 'abort') {
          const { plans } = await services.plans.list(ref, user);
          const record = plans.find(p => p.id === input.planId);
          const read = await services.rollouts.readRollouts(ref, user);
          resourceVersion = read.rollouts.find(
            r => r.id === record?.plan.rolloutId,
          )?.resourceVersion;
        }
        const res = await services.plans.command(
          ref,
          input.planId,
          {
            command: type,
            ...(resourceVersion && { resourceVersion }),
            ...(input.reason && { reason: input.reason }),
          },
          user,
        );
        return planOutput(res.record, res.summary);
      },
    });

  command(
    'advance-plan',
    'Move a step plan on',
    'Ends the plan\u2019s current pause or analysis (Next step), or, with toEnd, every remaining step (Skip to ' +
      'end: the final weight is written next). Needs istio-rollouts.traffic.promote for a plan that ends at 100 %.',
    input => (input.toEnd ? 'skipToEnd' : 'next'),
    z => ({ toEnd: z.boolean().optional() }),
  );
  command(
    'abort-plan',
    'Abort a step plan',
    'Ends the plan; the runner rolls its route back to the stable subset at its next tick.',
    () => 'abort',
  );
}
