import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ActionPlan,
  ActionRequest,
  ClusterObjects,
  HistoryEvent,
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  KubeObject,
  permissionForAction,
  Rollout,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import type { RolloutBoundary } from '../boundary';
import type { HistoryOutcome, HistoryStore } from '../history/HistoryStore';
import type { Impersonation } from '../kubernetes';
import {
  actionsForRollout,
  AllowedActionsCache,
  loadAuthorizedEntity,
  requirePermission,
} from '../permissions';
import { RolloutsReader } from '../rollouts';
import { loadRolloutTarget, RolloutTarget } from './loadRolloutTarget';
import { conflictError } from '../errors';
import { checkOwnership } from './ownership';
import { planRolloutAction, promotionOf } from './planRolloutAction';
import { withRecordedRollbacks } from './rollbackOffers';
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
  }) {
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
    const entityRef = stringifyEntityRef(entity);

    const target = await loadRolloutTarget({
      reader: this.reader,
      entity,
      rolloutId: request.rolloutId,
      resourceVersion: request.resourceVersion,
    });
    const { warning } = checkOwnership(target.rollout);
    requireLoadedVersion(target, request.resourceVersion);

    const plan = await planRolloutAction({
      history: this.history,
      target,
      request,
    });
    await this.requirePromoteIfPromotion(target, plan, {
      entityRef,
      credentials,
      granted: actionPermission,
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

    const answer: RolloutActionResponse = {
      dryRun: request.dryRun === true,
      changed: plan.changed,
      summary: plan.summary,
      patches: plan.patches,
      routes: plan.routes,
      ...(warning && { warning }),
    };
    if (answer.dryRun || !plan.changed) return answer;

    const impersonate = target.cluster.impersonate
      ? await this.impersonation(credentials)
      : undefined;
    // The intent first: a change never reaches the cluster unrecorded.
    const pending = await this.recordIntent({
      entityRef,
      target,
      plan,
      request,
      credentials,
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
      await this.recordOutcome(pending.id, writeOutcomeOf(e));
      throw e;
    }

    this.reader.recordWrite(target.cluster, target.selection, written.stored);

    // The change is in the cluster now: a failure to record its outcome or
    // to build the answer is a warning, never a failed action the user would
    // retry (an outcome not recorded is resolved by the next read).
    const noted = [warning, ...written.warnings].filter(Boolean).join(' ');
    const warnings = noted ? [noted] : [];
    const [event, rollout] = await Promise.all([
      this.recordOutcome(pending.id, 'applied', noted || undefined),
      this.readBack(target, written.stored, entityRef, credentials),
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
      credentials: UserCredentials;
      granted: ResourcePermission;
    },
  ): Promise<void> {
    if (options.granted === istioRolloutsTrafficPromotePermission) return;
    const promoted = await promotionOf({ history: this.history, target, plan });
    if (promoted === undefined) return;
    try {
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

  /** Records the change as `pending` before it is written; a failure refuses the action (503), nothing written. */
  private async recordIntent(options: {
    entityRef: string;
    target: RolloutTarget;
    plan: ActionPlan;
    request: ActionRequest;
    credentials: UserCredentials;
    warning?: string;
  }): Promise<HistoryEvent> {
    const { entityRef, target, plan, request, credentials, warning } = options;
    const reason = request.reason?.trim();
    try {
      return await this.history.begin({
        entityRef,
        actor: credentials.principal.userEntityRef,
        rolloutId: target.rollout.id,
        cluster: target.cluster.name,
        namespace: target.rollout.namespace,
        virtualService: target.rollout.name,
        route: plan.route,
        action: plan.action,
        before: plan.routeBefore,
        after: plan.routeAfter,
        summary: plan.summary,
        ...(reason && { reason }),
        ...(warning && { warning }),
        ...(plan.routes.length > 1 && { routes: plan.routes }),
        objects: plan.patches.map(p => ({
          kind: p.kind,
          namespace: p.namespace,
          name: p.name,
        })),
        resourceVersion: request.resourceVersion,
      });
    } catch (e) {
      this.logger.error(
        `Could not record ${plan.action} of ${target.rollout.id} in the history; not applying it`,
        e as Error,
      );
      throw new ServiceUnavailableError(
        `The change was not applied: it could not be recorded in the history first (${
          (e as Error).message
        }). Try again.`,
      );
    }
  }

  /** Gives the recorded change its outcome; undefined (and logged) when that fails. */
  private async recordOutcome(
    id: string,
    outcome: HistoryOutcome,
    warning?: string,
  ): Promise<HistoryEvent | undefined> {
    try {
      return await this.history.finish(id, outcome, {
        ...(warning && { warning }),
      });
    } catch (e) {
      this.logger.error(
        `Could not record the outcome (${outcome}) of history event ${id}; the next read resolves it`,
        e as Error,
      );
      return undefined;
    }
  }

  /**
   * The rollout as the cluster has it now, with the actions the caller may
   * take on it: built from the objects the patches' answers carry (what the
   * API server stored) and the others read for the plan, so answering costs
   * the cluster no second read.
   */
  private async readBack(
    target: RolloutTarget,
    stored: KubeObject[],
    entityRef: string,
    credentials: UserCredentials,
  ): Promise<Outcome<Rollout>> {
    try {
      const allowed = await this.allowedActions.get(credentials, entityRef);
      const objects: ClusterObjects = {
        ...target.objects,
        virtualServices: replaceStored(target.objects.virtualServices, stored),
        destinationRules: replaceStored(
          target.objects.destinationRules,
          stored,
        ),
      };
      const built = this.reader
        .build(objects)
        .filter(r => r.id === target.rollout.id);
      const [rollout] = await withRecordedRollbacks({
        history: this.history,
        objects: [objects],
        rollouts: built,
        logger: this.logger,
      });
      if (!rollout) {
        return {
          ok: false,
          warning: `The change was applied, but ${target.rollout.id} is no longer among the entity's rollouts; reload.`,
        };
      }
      return {
        ok: true,
        value: {
          ...rollout,
          allowedActions: actionsForRollout(rollout, allowed),
        },
      };
    } catch (e) {
      return {
        ok: false,
        warning: `The change was applied, but reading the rollout back failed (${
          (e as Error).message
        }); reload to see it.`,
      };
    }
  }
}

/** The objects, with those a write stored (same kind, namespace and name) in their place. */
function replaceStored(
  objects: KubeObject[],
  stored: KubeObject[],
): KubeObject[] {
  const key = (o: KubeObject) =>
    `${o.kind}/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`;
  const byKey = new Map(stored.map(o => [key(o), o]));
  return objects.map(o => byKey.get(key(o)) ?? o);
}

type Outcome<T> = { ok: true; value: T } | { ok: false; warning: string };

/**
 * Refuses an action planned on a VirtualService the user did not see: its
 * resourceVersion moved since they loaded it. The patch's own guard would
 * refuse it too; checking first keeps a dry run from previewing a change to
 * an object the user has not seen, and saves the cluster a doomed write.
 */
function requireLoadedVersion(
  target: RolloutTarget,
  resourceVersion: string,
): void {
  const current = target.virtualService.metadata?.resourceVersion;
  if (current !== resourceVersion) {
    throw conflictError(
      'Changed',
      `VirtualService ${target.rollout.namespace}/${target.rollout.name} in cluster "${target.cluster.name}" ` +
        `was changed since you loaded it (resourceVersion ${resourceVersion}, now ${current}); reload and try again.`,
    );
  }
}
