import type {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionValidationError,
  applyStepPlanCommand,
  describeStepPlan,
  isPromotionPlan,
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
  parseStepPlan,
  PlanCommandResponse,
  PlansResponse,
  StartPlanResponse,
  StepPlanCommand,
  startStepPlanState,
  stepPlanOffer,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import type { UserCredentials } from '../actions';
import {
  loadRolloutTarget,
  requireLoadedVersion,
} from '../actions/loadRolloutTarget';
import { checkOwnership } from '../actions/ownership';
import type { RolloutBoundary } from '../boundary';
import { conflictError } from '../errors';
import { loadAuthorizedEntity, requirePermission } from '../permissions';
import type { RolloutsReader } from '../rollouts';
import { parsePlanCommand } from './parsePlanCommand';
import type { PlanActors } from './planActor';
import { planRecord } from './planRecord';
import type { PlansConfig } from './plansConfig';
import type { PlanStore, StoredPlan } from './PlanStore';
import { findPlanRoute, routeVersionOf } from './routeVersion';

const COMMAND_WORDS: Record<StepPlanCommand['type'], string> = {
  next: 'Next step',
  skipToEnd: 'Skip to end',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort',
};

/**
 * Step plans as people start and steer them, over the HTTP API: every call is authorized as the caller on the
 * entity (`.traffic.update` to start or command a plan, `.traffic.promote` too for a plan that ends at 100 % and for
 * Next step / Skip to end on one), checked against the VirtualService the caller saw, the owner tools and the trust
 * boundary like an action, and stored; the runner moves the plan through the actions service at its next tick.
 */
export class PlanService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      reader: RolloutsReader;
      store: PlanStore;
      actors: PlanActors;
      config: PlansConfig;
      logger: LoggerService;
      boundary?: RolloutBoundary;
      /** Asks the runner to tick now, so a start or a command shows within moments. */
      nudge?: () => void;
      now?: () => Date;
    },
  ) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  async list(
    ref: CompoundEntityRef,
    credentials: UserCredentials,
  ): Promise<PlansResponse> {
    const entity = await this.authorize(ref, credentials, []);
    const entityRef = stringifyEntityRef(entity);
    const [canStart, canPromote] = await this.may(credentials, entityRef);
    const stored = await this.deps.store.listForEntity(entityRef);
    const now = this.now();
    const plans = await Promise.all(
      stored.map(async p =>
        planRecord(p, await this.deps.store.events(p.id), {
          now,
          mayCommand: canStart,
        }),
      ),
    );
    return {
      templates: this.deps.config.templates,
      plans,
      canStart,
      canPromote: canStart && canPromote,
    };
  }

  async start(
    ref: CompoundEntityRef,
    body: unknown,
    credentials: UserCredentials,
  ): Promise<StartPlanResponse> {
    const { templates, defaults } = this.deps.config;
    const plan = parseStepPlan(body, templates, defaults);
    const b = body as {
      resourceVersion?: unknown;
      reason?: unknown;
      dryRun?: unknown;
    };
    if (typeof b.resourceVersion !== 'string' || !b.resourceVersion) {
      throw new ActionValidationError(
        'resourceVersion',
        "must be the VirtualService's resourceVersion you saw",
      );
    }
    const promotion = isPromotionPlan(plan);
    const entity = await this.authorize(
      ref,
      credentials,
      promotion ? [istioRolloutsTrafficPromotePermission] : [],
      'a plan whose last step sends 100 % to the canary is a promotion',
    );
    const entityRef = stringifyEntityRef(entity);
    const target = await loadRolloutTarget({
      reader: this.deps.reader,
      entity,
      rolloutId: plan.rolloutId,
      resourceVersion: b.resourceVersion,
    });
    const { warning } = checkOwnership(target.rollout);
    if (warning && !this.deps.config.allowGitOpsManaged) {
      throw conflictError(
        'OwnedByController',
        `${warning} A plan would be undone step by step: set istioRollouts.plans.allowGitOpsManaged once the sync ` +
          'ignores the weights the plugin sets (field manager backstage-istio-rollouts; see the README).',
      );
    }
    requireLoadedVersion(target, b.resourceVersion);
    const route = findPlanRoute(target.rollout, plan.route);
    if (!route) {
      throw new ActionValidationError(
        'route',
        `no ${plan.route.kind} route at index ${plan.route.index} in ${target.rollout.id}`,
      );
    }
    if (!stepPlanOffer(route)) {
      throw new ActionValidationError(
        'route',
        `a plan moves traffic between a stable and a canary subset of an http route; this route is ${route.state.label}`,
      );
    }
    await this.deps.boundary?.requireWritable(entityRef, target.objects, [
      {
        kind: 'VirtualService',
        namespace: target.rollout.namespace,
        name: target.rollout.name,
      },
    ]);
    const now = this.now();
    const state = startStepPlanState(
      {
        ...plan,
        route: { ...plan.route, ...(route.name && { name: route.name }) },
      },
      routeVersionOf(target.rollout, route),
      now,
    );
    const summary = describeStepPlan(plan, route.name);
    const answer: StartPlanResponse = {
      dryRun: b.dryRun === true,
      summary,
      plan,
      ...(warning && { warning }),
    };
    if (answer.dryRun) return answer;

    const actor = credentials.principal.userEntityRef;
    const reason = typeof b.reason === 'string' ? b.reason.trim() : '';
    const stored = await this.deps.store.insert(
      {
        entityRef,
        plan,
        state,
        startedBy: actor,
        actor,
        actorToken: await this.deps.actors.tokenFor(credentials),
        ...(reason && { reason }),
      },
      {
        kind: 'started',
        message: `${summary}${reason ? ` Reason: ${reason}` : ''}`,
        actor,
      },
    );
    this.deps.logger.info(
      `Plan #${stored.id} started on ${plan.rolloutId} ${plan.route.kind}[${plan.route.index}] by ${actor}`,
    );
    this.deps.nudge?.();
    return { ...answer, record: await this.record(stored, true) };
  }

  async command(
    ref: CompoundEntityRef,
    planId: string,
    body: unknown,
    credentials: UserCredentials,
  ): Promise<PlanCommandResponse> {
    const request = parsePlanCommand(body);
    const stored = await this.deps.store.get(planId);
    const moving =
      request.command === 'next' || request.command === 'skipToEnd';
    const entity = await this.authorize(
      ref,
      credentials,
      moving && stored && isPromotionPlan(stored.plan)
        ? [istioRolloutsTrafficPromotePermission]
        : [],
      `${COMMAND_WORDS[request.command]} moves plan #${planId} on toward 100 %`,
    );
    const entityRef = stringifyEntityRef(entity);
    if (!stored || stored.entityRef !== entityRef) {
      throw new NotFoundError(`${entityRef} has no plan #${planId}`);
    }
    const actor = credentials.principal.userEntityRef;
    const command = await this.toCommand(request, stored, entity, actor);
    const now = this.now();
    const state = applyStepPlanCommand(stored.plan, stored.state, command, now);
    // Who sets the plan moving again is who it acts as from then on.
    const takesOver =
      request.command !== 'pause' && request.command !== 'abort';
    const reason = request.reason?.trim();
    const updated = await this.deps.store.update(
      stored,
      {
        state,
        ...(takesOver && {
          actor: {
            ref: actor,
            token: await this.deps.actors.tokenFor(credentials),
          },
        }),
      },
      [
        {
          kind: 'command',
          message: `${COMMAND_WORDS[request.command]} by ${actor}${
            reason ? `: ${reason}` : ''
          }`,
          actor,
          step: stored.state.stepIndex,
        },
      ],
    );
    if (!updated) {
      throw new ConflictError(
        `Plan #${planId} moved on while you looked at it; reload and try again.`,
      );
    }
    this.deps.nudge?.();
    return {
      summary: `${COMMAND_WORDS[request.command]}: plan #${planId} is ${
        updated.state.status
      }.`,
      record: await this.record(updated, true),
    };
  }

  /** The route as the person saw it, for resume and abort (absent for an abort when it is gone). */
  private async toCommand(
    request: ReturnType<typeof parsePlanCommand>,
    stored: StoredPlan,
    entity: Entity,
    actor: string,
  ): Promise<StepPlanCommand> {
    if (request.command !== 'resume' && request.command !== 'abort') {
      return request.command === 'pause'
        ? { type: 'pause', by: actor }
        : { type: request.command };
    }
    let route;
    try {
      const target = await loadRolloutTarget({
        reader: this.deps.reader,
        entity,
        rolloutId: stored.plan.rolloutId,
        resourceVersion: request.resourceVersion!,
      });
      requireLoadedVersion(target, request.resourceVersion!);
      const found = findPlanRoute(target.rollout, stored.plan.route);
      route = found && routeVersionOf(target.rollout, found);
    } catch (e) {
      if (!(e instanceof NotFoundError) || request.command !== 'abort') throw e;
    }
    if (request.command === 'abort') {
      return { type: 'abort', by: actor, ...(route && { route }) };
    }
    if (!route) {
      throw new ConflictError(
        `Cannot resume plan #${stored.id}: its route is gone from ${stored.plan.rolloutId}; abort it.`,
      );
    }
    return { type: 'resume', route };
  }

  private async record(
    stored: StoredPlan,
    mayCommand: boolean,
  ): Promise<StepPlanRecord> {
    return planRecord(stored, await this.deps.store.events(stored.id), {
      now: this.now(),
      mayCommand,
    });
  }

  /** Loads the entity as the caller with `.traffic.read`, and `.traffic.update` plus `more` unless `more` is empty and this is a read. */
  private async authorize(
    ref: CompoundEntityRef,
    credentials: UserCredentials,
    more: (typeof istioRolloutsTrafficPromotePermission)[],
    why?: string,
  ): Promise<Entity> {
    const writes = why !== undefined || more.length > 0;
    const entity = await loadAuthorizedEntity({
      catalog: this.deps.catalog,
      permissions: this.deps.permissions,
      ref,
      credentials,
      permission: writes
        ? [
            istioRolloutsTrafficUpdatePermission,
            istioRolloutsTrafficReadPermission,
          ]
        : [istioRolloutsTrafficReadPermission],
    });
    for (const permission of more) {
      try {
        await requirePermission({
          permissions: this.deps.permissions,
          credentials,
          permission,
          resourceRef: stringifyEntityRef(entity),
        });
      } catch (e) {
        throw new NotAllowedError(
          `${why ?? 'This'}: you are not allowed ${
            permission.name
          } on ${stringifyEntityRef(entity)}.`,
        );
      }
    }
    return entity;
  }

  /** Whether the caller may update, and promote, the entity's traffic: one batch. */
  private async may(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<[boolean, boolean]> {
    const decisions = await this.deps.permissions.authorize(
      [
        istioRolloutsTrafficUpdatePermission,
        istioRolloutsTrafficPromotePermission,
      ].map(permission => ({ permission, resourceRef: entityRef })),
      { credentials },
    );
    const allowed = decisions.map(d => d.result === AuthorizeResult.ALLOW);
    return [allowed[0] ?? false, allowed[1] ?? false];
  }
}
