import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionPlan,
  ActionRequest,
  ActionValidationError,
  ClusterObjects,
  HistoryEvent,
  KubeObject,
  planAction,
  Rollout,
  RolloutActionRequest,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import {
  actionsForRollout,
  AllowedActionsCache,
  permissionForAction,
  loadAuthorizedEntity,
} from '../permissions';
import { RolloutsReader } from '../rollouts';
import { loadRolloutTarget, RolloutTarget } from './loadRolloutTarget';
import { conflictError } from './conflict';
import { checkOwnership } from './ownership';
import { RolloutWriter } from './RolloutWriter';
import { chooseStableSubset } from './stableSubset';

/** A caller who may act: a signed-in user, whose entity ref the history records. */
export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * Performs one action on one route of one of an entity's rollouts: the
 * entity is loaded as the caller, the action's permission authorized with its
 * ref, the VirtualService read from its cluster as the rollouts endpoint reads
 * it, the change planned by the pure planner and — unless it is a dry run or
 * changes nothing — written as guarded JSON Patches, recorded in the history
 * and read back.
 */
export class RolloutActionsService {
  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly allowedActions: AllowedActionsCache;
  private readonly reader: RolloutsReader;
  private readonly writer: RolloutWriter;
  private readonly history: HistoryStore;
  private readonly logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    /** The actions offered with the answer's rollout; shared with the read endpoint. */
    allowedActions?: AllowedActionsCache;
    reader: RolloutsReader;
    writer: RolloutWriter;
    history: HistoryStore;
    logger: LoggerService;
  }) {
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
    request: RolloutActionRequest,
    credentials: UserCredentials,
  ): Promise<RolloutActionResponse> {
    // Before any Kubernetes call: a denied caller reads and writes nothing.
    const entity = await loadAuthorizedEntity({
      catalog: this.catalog,
      permissions: this.permissions,
      ref,
      credentials,
      permission: permissionForAction(request.action),
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

    const plan = await this.plan(target, request);
    const answer: RolloutActionResponse = {
      dryRun: request.dryRun === true,
      changed: plan.changed,
      summary: plan.summary,
      patches: plan.patches,
      routes: plan.routes,
      ...(warning && { warning }),
    };
    if (answer.dryRun || !plan.changed) return answer;

    const written = await this.writer.write(
      {
        cluster: target.cluster,
        istioVersion: target.objects.istioVersion,
        resourceVersion: request.resourceVersion,
        objects: target.objects,
      },
      plan,
    );

    this.reader.recordWrite(target.cluster, target.selection, written.stored);

    // The change is in the cluster now: a failure to record or re-read it is
    // reported as a warning, never as a failed action the user would retry.
    const noted = [warning, ...written.warnings].filter(Boolean).join(' ');
    const warnings = noted ? [noted] : [];
    const [event, rollout] = await Promise.all([
      this.record({
        entityRef,
        target,
        plan,
        request,
        credentials,
        warning: noted || undefined,
      }),
      this.readBack(target, written.stored, entityRef, credentials),
    ]);
    if (!event.ok) warnings.push(event.warning);
    if (!rollout.ok) warnings.push(rollout.warning);
    return {
      ...answer,
      ...(event.ok && { event: event.value }),
      ...(rollout.ok && { rollout: rollout.value }),
      ...(warnings.length && { warning: warnings.join(' ') }),
    };
  }

  /** The planner's request: for a rollback, with the stable subset it returns to. */
  private async plan(
    target: RolloutTarget,
    request: RolloutActionRequest,
  ): Promise<ActionPlan> {
    const planned = (stableSubset?: string) =>
      planAction({
        virtualService: target.virtualService,
        destinationRules: target.objects.destinationRules,
        deployments: target.objects.deployments,
        request: {
          action: request.action,
          route: request.route,
          weights: request.weights,
          subset: request.subset,
          resourceVersion: request.resourceVersion,
          stableSubset,
        } as ActionRequest,
      });
    if (request.action !== 'rollback') return planned();

    const route = target.rollout.routes.find(
      r =>
        request.route?.kind === r.kind &&
        ('index' in request.route
          ? request.route.index === r.index
          : request.route.name === r.name),
    );
    // An unknown route is the planner's to explain.
    if (!route) return planned();
    const stable = await chooseStableSubset({
      history: this.history,
      rollout: target.rollout,
      route,
    });
    let plan: ActionPlan;
    try {
      plan = planned(stable.subset);
    } catch (e) {
      // The caller never sent `stableSubset`: say where it came from.
      if (e instanceof ActionValidationError && e.field === 'stableSubset') {
        throw new ActionValidationError(
          'action',
          `cannot roll back to the stable subset "${stable.subset}" (from the ${stable.source}): ${e.reason}`,
        );
      }
      throw e;
    }
    return {
      ...plan,
      summary: `${plan.summary} (stable subset ${stable.subset}, from the ${stable.source})`,
    };
  }

  private async record(options: {
    entityRef: string;
    target: RolloutTarget;
    plan: ActionPlan;
    request: RolloutActionRequest;
    credentials: UserCredentials;
    warning?: string;
  }): Promise<Outcome<HistoryEvent>> {
    const { entityRef, target, plan, request, credentials, warning } = options;
    const reason = request.reason?.trim();
    try {
      const event = await this.history.add({
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
      });
      return { ok: true, value: event };
    } catch (e) {
      this.logger.error(
        `Applied ${plan.action} to ${target.rollout.id} but could not record it in the history`,
        e as Error,
      );
      return {
        ok: false,
        warning: `The change was applied, but recording it in the history failed: ${
          (e as Error).message
        }.`,
      };
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
      const rollout = this.reader
        .build(objects)
        .find(r => r.id === target.rollout.id);
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
