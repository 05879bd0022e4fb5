import type {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ActionPlan,
  ActionRequest,
  HistoryPlanStep,
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  permissionForAction,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import type { RolloutBoundary } from '../boundary';
import type { HistoryStore } from '../history/HistoryStore';
import type { Impersonation } from '../kubernetes';
import {
  AllowedActionsCache,
  loadAuthorizedEntity,
  requirePermission,
} from '../permissions';
import { RolloutsReader } from '../rollouts';
import {
  loadRolloutTarget,
  requireLoadedVersion,
  RolloutTarget,
} from './loadRolloutTarget';
import { ChangeActor, recordIntent, recordOutcome } from './changeRecords';
import { checkOwnership } from './ownership';
import { actInGit, GitOpsActions, gitOpsRouteOf } from './gitOpsAction';
import { planRolloutAction, promotionOf } from './planRolloutAction';
import { readBack } from './readBack';
import { RolloutWriter, writeOutcomeOf } from './RolloutWriter';

/** A caller who may act: a signed-in user, whose entity ref the history records. */
export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * Performs one action on one route of one of an entity's rollouts: the
 * entity is loaded as the caller, the action's permission (and read, for the
 * answer) authorized with its ref, the VirtualService read from its cluster
 * as the rollouts endpoint reads it, the change planned by the pure planner,
 * checked again for what it does (a promotion needs `.traffic.promote`) and
 * against the trust boundary (shared claims, namespace consent) and — unless
 * it is a dry run or changes nothing — recorded in the history as pending,
 * written as guarded JSON Patches (as the user, where the cluster
 * impersonates), given its outcome and read back.
 */
export class RolloutActionsService {
  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly allowedActions: AllowedActionsCache;
  private readonly reader: RolloutsReader;
  private readonly writer: RolloutWriter;
  private readonly history: HistoryStore;
  private readonly logger: LoggerService;
  private readonly boundary?: RolloutBoundary;
  private readonly userInfo?: UserInfoService;
  private readonly auth?: AuthService;
  private readonly gitops?: GitOpsActions;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    /** The actions offered with the answer's rollout; shared with the read endpoint. */
    allowedActions?: AllowedActionsCache;
    reader: RolloutsReader;
    writer: RolloutWriter;
    history: HistoryStore;
    logger: LoggerService;
    /** What the catalog and the cluster let the entity change; every write is checked. */
    boundary?: RolloutBoundary;
    /** The user's ownership groups, for clusters that impersonate. */
    userInfo?: UserInfoService;
    /** The plugin's own credentials, to read a plan's entity. */
    auth?: AuthService;
    /** GitOps mode: changes of VirtualServices synced from a configured repository go to Git. */
    gitops?: GitOpsActions;
  }) {
    this.auth = options.auth;
    this.gitops = options.gitops;
    this.boundary = options.boundary;
    this.userInfo = options.userInfo;
    this.catalog = options.catalog;
    this.permissions = options.permissions;
    this.allowedActions =
      options.allowedActions ?? new AllowedActionsCache(options.permissions);
    this.reader = options.reader;
    this.writer = options.writer;
    this.history = options.history;
    this.logger = options.logger;
  }

  async act(
    ref: CompoundEntityRef,
    request: ActionRequest,
    credentials: UserCredentials,
    options: { channel?: string } = {},
  ): Promise<RolloutActionResponse> {
    const actionPermission = permissionForAction(request.action);
    // Before any Kubernetes call: a denied caller reads and writes nothing.
    // The answer carries the route and the rollout read back: reading them
    // is `.traffic.read`'s to grant.
    const entity = await loadAuthorizedEntity({
      catalog: this.catalog,
      permissions: this.permissions,
      ref,
      credentials,
      permission: [actionPermission, istioRolloutsTrafficReadPermission],
    });
    return this.perform(entity, request, {
      actor: {
        ref: credentials.principal.userEntityRef,
        ...(options.channel && { channel: options.channel }),
      },
      credentials,
      granted: actionPermission,
    });
  }

  /**
   * One step of a step plan, as the user the plan acts as: the same target,
   * planner, promotion check, boundary, history and guarded write as `act`.
   * The entity is read as the plugin (the plan was authorized when it
   * started). With the user's credentials (a token still valid) the action's
   * permission is asked again as the policy now stands; without them (the
   * runner allows that only for a roll back to the stable subset) no
   * promotion is made, on the grant the plan started with.
   */
  async actAsPlan(
    entityRef: string,
    request: ActionRequest,
    who: {
      actor: string;
      plan: HistoryPlanStep;
      credentials?: UserCredentials;
    },
  ): Promise<RolloutActionResponse> {
    if (!this.auth) {
      throw new ServiceUnavailableError('Step plans need the auth service');
    }
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(`${entityRef} is no longer in the catalog`);
    }
    const actionPermission = permissionForAction(request.action);
    if (who.credentials) {
      await requirePermission({
        permissions: this.permissions,
        credentials: who.credentials,
        permission: actionPermission,
        resourceRef: entityRef,
      });
    }
    return this.perform(entity, request, {
      actor: { ref: who.actor, plan: who.plan },
      credentials: who.credentials,
      granted: actionPermission,
    });
  }

  private async perform(
    entity: Entity,
    request: ActionRequest,
    who: {
      actor: ChangeActor;
      /** Absent for a plan step whose user's token has expired. */
      credentials?: UserCredentials;
      granted: ResourcePermission;
    },
  ): Promise<RolloutActionResponse> {
    const entityRef = stringifyEntityRef(entity);
    const { credentials } = who;
    const target = await loadRolloutTarget({
      reader: this.reader,
      entity,
      rolloutId: request.rolloutId,
      resourceVersion: request.resourceVersion,
    });
    const { warning: ownerWarning } = checkOwnership(target.rollout);
    requireLoadedVersion(target, request.resourceVersion);

    const plan = await planRolloutAction({
      history: this.history,
      target,
      request,
    });
    await this.requirePromoteIfPromotion(target, plan, {
      entityRef,
      credentials,
      granted: who.granted,
    });
    // Checked on what the plan patches (a DestinationRule too), dry run or not.
    await this.boundary?.requireWritable(entityRef, target.objects, [
      {
        kind: 'VirtualService',
        namespace: target.rollout.namespace,
        name: target.rollout.name,
      },
      ...plan.patches,
    ]);

    // GitOps mode, for people and agents: a plan's steps go to the cluster (where the plan may start at all).
    const gitops =
      this.gitops && plan.changed && !who.actor.plan
        ? await gitOpsRouteOf(this.gitops, target)
        : undefined;
    // Where the repository is known, its note says more than the owner's warning; where the change goes to Git
    // (or is offered as text), the warning that the sync may revert a patch no longer applies.
    const warning =
      gitops?.to === 'git' || gitops?.to === 'text'
        ? undefined
        : (gitops?.to === 'cluster' && gitops.note) || ownerWarning;
    const answer: RolloutActionResponse = {
      dryRun: request.dryRun === true,
      changed: plan.changed,
      summary: plan.summary,
      patches: plan.patches,
      routes: plan.routes,
      ...(warning && { warning }),
    };
    if (this.gitops && gitops && gitops.to !== 'cluster') {
      return actInGit({
        gitops: this.gitops,
        route: gitops,
        answer,
        plan,
        target,
        entityRef,
        actor: who.actor,
        reason: request.reason,
        history: this.history,
        logger: this.logger,
      });
    }
    if (answer.dryRun || !plan.changed) return answer;

    let impersonate: Impersonation | undefined;
    if (target.cluster.impersonate) {
      if (!credentials) {
        throw new NotAllowedError(
          `Cluster "${target.cluster.name}" writes as the user, and ${who.actor.ref}'s sign-in has expired since the plan started.`,
        );
      }
      impersonate = await this.impersonation(credentials);
    }
    const pending = await recordIntent({
      history: this.history,
      logger: this.logger,
      entityRef,
      target,
      plan,
      resourceVersion: request.resourceVersion,
      actor: who.actor,
      reason: request.reason,
      warning,
    });
    let written;
    try {
      written = await this.writer.write(
        {
          cluster: target.cluster,
          istioVersion: target.objects.istioVersion,
          resourceVersion: request.resourceVersion,
          objects: target.objects,
        },
        plan,
        { impersonate },
      );
    } catch (e) {
      await recordOutcome(
        this.history,
        this.logger,
        pending.id,
        writeOutcomeOf(e),
      );
      throw e;
    }

    this.reader.recordWrite(target.cluster, target.selection, written.stored);

    // The change is in the cluster now: a failure to record its outcome or
    // to build the answer is a warning, never a failed action the user would
    // retry (an outcome not recorded is resolved by the next read).
    const noted = [warning, ...written.warnings].filter(Boolean).join(' ');
    const warnings = noted ? [noted] : [];
    const [event, rollout] = await Promise.all([
      recordOutcome(
        this.history,
        this.logger,
        pending.id,
        'applied',
        noted || undefined,
      ),
      readBack(
        {
          allowedActions: this.allowedActions,
          reader: this.reader,
          history: this.history,
          logger: this.logger,
        },
        target,
        written.stored,
        entityRef,
        credentials,
      ),
    ]);
    if (!event) {
      warnings.push(
        'The change was applied, but recording its outcome in the history failed; the next read of the rollout records it.',
      );
    }
    if (!rollout.ok) warnings.push(rollout.warning);
    return {
      ...answer,
      event: event ?? pending,
      ...(rollout.ok && { rollout: rollout.value }),
      ...(warnings.length && { warning: warnings.join(' ') }),
    };
  }

  /** 403 unless the caller may promote, when the plan promotes whatever action asked for it. */
  private async requirePromoteIfPromotion(
    target: RolloutTarget,
    plan: ActionPlan,
    options: {
      entityRef: string;
      credentials?: UserCredentials;
      granted: ResourcePermission;
    },
  ): Promise<void> {
    if (options.granted === istioRolloutsTrafficPromotePermission) return;
    const promoted = await promotionOf({ history: this.history, target, plan });
    if (promoted === undefined) return;
    try {
      if (!options.credentials) {
        throw new NotAllowedError('no credentials to ask with');
      }
      await requirePermission({
        permissions: this.permissions,
        credentials: options.credentials,
        permission: istioRolloutsTrafficPromotePermission,
        resourceRef: options.entityRef,
      });
    } catch (e) {
      throw new NotAllowedError(
        `This change sends all of the route's traffic to "${promoted}", which is not its stable subset: ` +
          `that is a promotion, and you are not allowed ${istioRolloutsTrafficPromotePermission.name} on ${options.entityRef}.`,
      );
    }
  }

  /** Who the cluster is asked to treat the write as: the user and their ownership groups. */
  private async impersonation(
    credentials: UserCredentials,
  ): Promise<Impersonation> {
    const user = credentials.principal.userEntityRef;
    const info = await this.userInfo?.getUserInfo(credentials);
    const groups = (info?.ownershipEntityRefs ?? []).filter(r =>
      r.toLocaleLowerCase('en-US').startsWith('group:'),
    );
    return { user, groups };
  }
}
