import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterStatus,
  istioRolloutsTrafficReadPermission,
  RolloutReadModel,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import {
  actionsForRollout,
  AllowedActionsCache,
  loadAuthorizedEntity,
} from '../permissions';
import { withRecordedRollbacks } from '../actions/rollbackOffers';
import { lockFinding, RolloutBoundary } from '../boundary';
import type { GitOpsModes } from '../gitops';
import { detectDrift } from '../history/detectDrift';
import { reconcileProposals } from '../history/reconcileProposals';
import { routeFields, withRouteFields } from '../history/routeKey';
import type { HistoryStore } from '../history/HistoryStore';
import { resolvePendingChanges } from '../history/resolvePendingChanges';
import { readOnlyOf } from '../permissions';
import { RolloutsRead, RolloutsReader, staleLock } from '../rollouts';
import { selectEntityObjects } from '../selection';

/** An entity's rollouts as the read model builds them, before the caller's actions: for reads about them. */
export interface EntityRolloutsRead {
  /** The entity's ref, as the catalog spells it. */
  entityRef: string;
  clusters: ClusterStatus[];
  rollouts: RolloutReadModel[];
  /** Set when the entity selects nothing, with the reason; then no cluster was contacted. */
  notConfigured?: RolloutsResponse['notConfigured'];
}

/**
 * Answers "what is this entity's traffic doing, and what may the caller do
 * about it": loads the entity as the caller, checks read permission, then
 * reads every cluster. Nothing about the entity is taken from the request
 * but its ref.
 */
export class EntityRolloutsService {
  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly reader: RolloutsReader;
  private readonly allowedActions: AllowedActionsCache;
  private readonly boundary?: RolloutBoundary;
  private readonly history?: HistoryStore;
  private readonly withPlans?: <T extends RolloutReadModel>(
    rollouts: T[],
  ) => Promise<T[]>;
  private readonly gitopsModes?: Pick<GitOpsModes, 'annotate'>;
  private readonly logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    reader: RolloutsReader;
    allowedActions?: AllowedActionsCache;
    /** What the catalog and the cluster let the entity change. */
    boundary?: RolloutBoundary;
    /** Where changes whose outcome is not known yet are resolved, and changes made outside Backstage recorded. */
    history?: HistoryStore;
    /** Adds each route's step plan, and the offer to start one. */
    withPlans?: <T extends RolloutReadModel>(rollouts: T[]) => Promise<T[]>;
    /** GitOps mode: says on rollouts Argo CD or Flux track where an action's change goes. */
    gitopsModes?: Pick<GitOpsModes, 'annotate'>;
    logger: LoggerService;
  }) {
    this.withPlans = options.withPlans;
    this.gitopsModes = options.gitopsModes;
    this.boundary = options.boundary;
    this.history = options.history;
    this.logger = options.logger;
    this.catalog = options.catalog;
    this.permissions = options.permissions;
    this.reader = options.reader;
    this.allowedActions =
      options.allowedActions ?? new AllowedActionsCache(options.permissions);
  }

  /**
   * The entity as the caller, with `istio-rollouts.traffic.read` authorized
   * on it, and what its annotations select. Every read of an entity's
   * rollouts starts here, before any Kubernetes call, so a denied caller
   * costs the clusters nothing.
   */
  private async authorizedSelection(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ) {
    const entity = await loadAuthorizedEntity({
      catalog: this.catalog,
      permissions: this.permissions,
      ref,
      credentials,
      permission: istioRolloutsTrafficReadPermission,
    });
    return {
      resourceRef: stringifyEntityRef(entity),
      selected: selectEntityObjects(entity),
    };
  }

  /** The rollouts with the rollback each route would really do, where the history knows it. */
  private async recordedRollbacks(read: RolloutsRead) {
    return this.history
      ? withRecordedRollbacks({
          history: this.history,
          objects: read.objects,
          rollouts: read.rollouts,
          logger: this.logger,
        })
      : read.rollouts;
  }

  /**
   * The entity's rollouts as the read model builds them (with the history's
   * rollback targets), authorized exactly as {@link getRollouts}, without
   * the caller's actions nor the trust boundary's locks: for reads about the
   * rollouts, such as their canary health.
   */
  async readRollouts(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityRolloutsRead> {
    const { resourceRef, selected } = await this.authorizedSelection(
      ref,
      credentials,
    );
    if ('notConfigured' in selected) {
      return {
        entityRef: resourceRef,
        clusters: this.reader.listClusters(),
        rollouts: [],
        notConfigured: selected.notConfigured,
      };
    }
    const read = await this.reader.read(selected.selection);
    return {
      entityRef: resourceRef,
      clusters: read.clusters,
      rollouts: await this.recordedRollbacks(read),
    };
  }

  async getRollouts(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutsResponse> {
    const { resourceRef, selected } = await this.authorizedSelection(
      ref,
      credentials,
    );
    if ('notConfigured' in selected) {
      return {
        clusters: this.reader.listClusters(),
        rollouts: [],
        notConfigured: selected.notConfigured,
      };
    }

    // The action check runs alongside the cluster reads: it doesn't need them.
    const [read, allowed] = await Promise.all([
      this.reader.read(selected.selection),
      this.allowedActions.get(credentials, resourceRef),
    ]);
    const rolloutIds = read.rollouts.map(r => r.id);
    const [locks, pendingInGit] = await Promise.all([
      this.boundary?.locks(resourceRef, read.objects, read.rollouts),
      // Changes proposed in Git the cluster shows now are Backstage's, not outside changes: settled before drift.
      this.history &&
        reconcileProposals({
          proposals: this.history.proposals,
          objects: read.objects,
          rolloutIds,
          logger: this.logger,
        }),
      // Changes whose outcome was never recorded: the cluster tells now.
      this.history &&
        resolvePendingChanges({
          history: this.history,
          objects: read.objects,
          rolloutIds,
          logger: this.logger,
        }),
    ]);
    // After the outcomes above: a change just resolved as applied counts.
    const [recorded, drift] = await Promise.all([
      this.recordedRollbacks(read),
      // Routes that differ from Backstage's last recorded change of them.
      this.history &&
        detectDrift({
          history: this.history,
          entityRef: resourceRef,
          objects: read.objects,
          rollouts: read.rollouts,
          logger: this.logger,
        }),
    ]);
    const drifted = withRouteFields(
      recorded,
      routeFields({ drift, pendingInGit }),
    );
    const routed = this.gitopsModes
      ? await this.gitopsModes.annotate(drifted, read.objects)
      : drifted;
    const rollouts = this.withPlans ? await this.withPlans(routed) : routed;
    return {
      clusters: read.clusters,
      rollouts: rollouts.map(rollout => {
        // Its cluster is not answering: the last-known state, to read only.
        if (rollout.stale) return { ...rollout, ...staleLock(rollout) };
        const lock = locks?.get(rollout.id);
        if (!lock) {
          return {
            ...rollout,
            ...readOnlyOf(rollout),
            allowedActions: actionsForRollout(rollout, allowed),
          };
        }
        return {
          ...rollout,
          routes: rollout.routes.map(({ planOffer: _, ...route }) => route),
          findings: [...rollout.findings, lockFinding(lock)],
          readOnly: lock,
          allowedActions: [],
        };
      }),
    };
  }
}
