import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  parseActionRequest,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import { auditRolloutAction, RolloutActionsService } from '../actions';
import type { EntityRolloutsService } from '../service/EntityRolloutsService';
import { entityOf, requireUser } from './agentCaller';
import type { RegistryZod } from './summaries';

type Zod = RegistryZod;

/** The fields every change takes, and how it answers. */
const target = (z: Zod) => ({
  entityRef: z
    .string()
    .describe('The catalog entity, e.g. component:default/reviews'),
  rolloutId: z
    .string()
    .describe(
      'The VirtualService, <cluster>/<namespace>/<name>, as list-rollouts gives it',
    ),
  routeIndex: z
    .number()
    .int()
    .min(0)
    .describe(
      'The http route\u2019s index in the VirtualService (list-rollouts: route.index)',
    ),
  resourceVersion: z
    .string()
    .optional()
    .describe(
      'The VirtualService\u2019s resourceVersion the change is planned on; the write is refused (409) if it ' +
        'changed since. Default: the version read now.',
    ),
  reason: z.string().max(2000).optional().describe('Why, kept in the history'),
  apply: z
    .boolean()
    .optional()
    .describe(
      'false (the default) previews the change as a dry run; true applies it',
    ),
});

const answer = (z: Zod) =>
  z.object({
    dryRun: z.boolean(),
    changed: z.boolean(),
    summary: z.string(),
    warning: z.string().optional(),
    historyEventId: z.string().optional(),
    resourceVersion: z.string().optional(),
  });

function output(res: RolloutActionResponse) {
  return {
    output: {
      dryRun: res.dryRun,
      changed: res.changed,
      summary: res.summary,
      ...(res.warning && { warning: res.warning }),
      ...(res.event && { historyEventId: res.event.id }),
      ...(res.rollout && { resourceVersion: res.rollout.resourceVersion }),
    },
  };
}

interface Change {
  name: string;
  title: string;
  description: string;
  /** Fields beyond the target's. */
  fields: (z: Zod) => Record<string, any>;
  /** The action request's own fields, from the input. */
  body: (input: any) => Record<string, unknown>;
  example: Record<string, unknown>;
}

const CHANGES: Change[] = [
  {
    name: 'set-weights',
    title: 'Set the traffic weights of a route',
    description:
      'Gives every destination of one route its weight (integers 0\u2013100 adding up to 100), e.g. ' +
      '{"v1": 75, "v2": 25}.',
    fields: z => ({
      weights: z
        .record(z.string(), z.number().int().min(0).max(100))
        .describe('Every destination of the route, by subset, to 0\u2013100'),
    }),
    body: input => ({ action: 'setWeights', weights: input.weights }),
    example: { weights: { v1: 75, v2: 25 } },
  },
  {
    name: 'promote',
    title: 'Promote a subset',
    description:
      'Sends all of the route\u2019s traffic to the subset (needs istio-rollouts.traffic.promote).',
    fields: z => ({
      subset: z.string().describe('The subset to promote, e.g. v2'),
    }),
    body: input => ({ action: 'promote', subset: input.subset }),
    example: { subset: 'v2' },
  },
  {
    name: 'rollback',
    title: 'Roll a route back',
    description:
      'Sends all of the route\u2019s traffic back to its stable subset (the backend decides which, from the history).',
    fields: () => ({}),
    body: () => ({ action: 'rollback' }),
    example: {},
  },
  {
    name: 'switch',
    title: 'Switch a blue/green header route pair',
    description:
      'Swaps the subsets of a blue/green pair: the header route and the default route (needs istio-rollouts.traffic.promote).',
    fields: () => ({}),
    body: () => ({ action: 'switch' }),
    example: {},
  },
  {
    name: 'start-canary',
    title: 'Start a canary on a route',
    description:
      'Adds a DestinationRule subset to the route at 0 %, ready to take weight.',
    fields: z => ({
      subset: z.string().describe('The subset to add, e.g. v3'),
    }),
    body: input => ({ action: 'startCanary', subset: input.subset }),
    example: { subset: 'v3' },
  },
];

/**
 * The changes, each exactly the HTTP API's action: the same parser (field-named errors), permission checks as
 * the calling user, trust boundary, guards, history (with the action as the channel) and audit. A dry run unless
 * `apply: true`; never for a caller without a user.
 */
export function registerWriteActions(
  registry: ActionsRegistryService,
  services: {
    actions: RolloutActionsService;
    rollouts: EntityRolloutsService;
    auth: AuthService;
    auditor: AuditorService;
  },
): void {
  for (const change of CHANGES) {
    const channel = `istio-rollouts:${change.name}`;
    registry.register({
      name: change.name,
      title: change.title,
      description: `${change.description} A dry run unless apply is true; checked by the same permissions, guards and history as the Rollouts tab.`,
      attributes: { readOnly: false, destructive: true, idempotent: false },
      schema: {
        input: z => z.object({ ...target(z), ...change.fields(z) }),
        output: answer,
      },
      examples: [
        {
          title: `${change.title} on reviews in demo-east (preview)`,
          input: {
            entityRef: 'component:default/reviews',
            rolloutId: 'demo-east/bookinfo/reviews',
            routeIndex: 0,
            ...change.example,
          } as never,
        },
      ],
      action: async ({ input, credentials }) => {
        const user = requireUser(services.auth, credentials, channel);
        const ref = entityOf(input.entityRef);
        const resourceVersion =
          input.resourceVersion ??
          (await currentVersion(services.rollouts, ref, input.rolloutId, user));
        const body = {
          rolloutId: input.rolloutId,
          resourceVersion,
          route: { kind: 'http', index: input.routeIndex },
          ...change.body(input),
          ...(input.reason && { reason: input.reason }),
          dryRun: input.apply !== true,
        };
        const res = await auditRolloutAction(
          {
            auditor: services.auditor,
            entityRef: stringifyEntityRef(ref),
            body: { ...body, channel },
          },
          () =>
            services.actions.act(ref, parseActionRequest(body), user, {
              channel,
            }),
        );
        return output(res);
      },
    });
  }
}

/** The VirtualService's resourceVersion as the caller reads it now. */
async function currentVersion(
  rollouts: EntityRolloutsService,
  ref: ReturnType<typeof entityOf>,
  rolloutId: string,
  credentials: Parameters<EntityRolloutsService['readRollouts']>[1],
): Promise<string> {
  const read = await rollouts.readRollouts(ref, credentials);
  const rollout = read.rollouts.find(r => r.id === rolloutId);
  if (!rollout) {
    throw new NotFoundError(
      `${read.entityRef} has no rollout ${rolloutId}; list-rollouts gives its rollouts`,
    );
  }
  return rollout.resourceVersion;
}
