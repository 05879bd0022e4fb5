import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  buildRollouts,
  ISTIO_ROLLOUTS_PLUGIN_ID,
  istioRolloutsPermissions,
} from '@internal/plugin-istio-rollouts-common';
import { RolloutActionsService, RolloutWriter } from './actions';
import {
  ClusterRegistry,
  readCatalogClustersConfig,
  readClusters,
  readClusterTimeoutMs,
  readRequireNamespaceConsent,
  readingMessage,
  startCatalogClusters,
} from './clusters';
import { RolloutBoundary } from './boundary';
import { ClaimIndex } from './catalog';
import { HistoryStore } from './history/HistoryStore';
import { readMetricsConfig, RolloutMetricsReader } from './metrics';
import {
  ClusterClients,
  IstioVersionCache,
  loadClientNode,
} from './kubernetes';
import { AllowedActionsCache } from './permissions';
import { WatchCache } from './cache';
import { readCacheOptions } from './cache';
import { RolloutsReader } from './rollouts';
import { EntityHistoryService } from './service/EntityHistoryService';
import { EntityMetricsService } from './service/EntityMetricsService';
import { EntityRolloutsService } from './service/EntityRolloutsService';
import {
  PlanActors,
  PlanRunner,
  PlanService,
  PlanStore,
  readPlansConfig,
  schedulePlanRunner,
  withRoutePlans,
} from './plans';
import { createRouter } from './service/router';
import { registerAgentActions } from './agents';
import { PortalRolloutsService } from './portal';
import {
  commitAuthorFromCatalog,
  GitOpsChanges,
  GitOpsModes,
  readGitOpsConfig,
} from './gitops';
import { ScmIntegrations } from '@backstage/integration';

/**
 * The Istio Rollouts backend plugin, mounted at `/api/istio-rollouts`.
 * @public
 */
export const istioRolloutsPlugin = createBackendPlugin({
  pluginId: ISTIO_ROLLOUTS_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        httpAuth,
        httpRouter,
        logger,
        lifecycle,
        permissions,
        permissionsRegistry,
        database,
        auditor,
        auth,
        userInfo,
        scheduler,
        actionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(istioRolloutsPermissions);

        // Load the Kubernetes client now, so that no reader's cluster timeout
        // is spent on loading a library (it takes seconds on a busy machine).
        const k8s = await loadClientNode();

        const configured = readClusters(config, k8s);
        const timeoutMs = readClusterTimeoutMs(config);
        const cacheOptions = readCacheOptions(config);
        const metricsConfig = readMetricsConfig(config, configured);
        // Configured clusters, and those catalog Resources locate (credentials only from config).
        const catalogClusters = readCatalogClustersConfig(config);
        const clusters = new ClusterRegistry({
          configured,
          catalog: catalogClusters && {
            catalog,
            auth,
            config: catalogClusters,
          },
          logger,
        });
        if (catalogClusters) {
          await startCatalogClusters({
            registry: clusters,
            scheduler,
            refreshIntervalSeconds: catalogClusters.refreshIntervalSeconds,
            logger,
          });
        }
        logger.info(
          readingMessage({
            configured,
            catalog: Boolean(catalogClusters),
            timeoutMs,
            watch: cacheOptions.watch,
          }),
        );

        // One client per cluster, shared by reads and writes.
        const clients = new ClusterClients();
        const cache = cacheOptions.watch
          ? new WatchCache({ logger })
          : undefined;
        lifecycle.addShutdownHook(() => cache?.stop());
        const reader = new RolloutsReader({
          clusters,
          timeoutMs,
          clients,
          versions: new IstioVersionCache(),
          cache,
          buildRollouts,
          logger,
          lastKnownMaxAgeMs: cacheOptions.lastKnownMaxAgeMs,
        });
        const history = await HistoryStore.create(database);
        // After the history: its migrations make the plans' tables too.
        const planStore = await PlanStore.create(database);
        const plansConfig = readPlansConfig(config, metricsConfig.analysis);
        // Which buttons a user gets: asked by reads and by actions' answers.
        const allowedActions = new AllowedActionsCache(permissions, {
          ttlMs: cacheOptions.allowedActionsTtlMs,
        });

        // What the catalog and the cluster let each entity change.
        const claims = new ClaimIndex({
          catalog,
          auth,
          ttlMs: cacheOptions.claimsTtlMs,
          logger,
        });
        const boundary = new RolloutBoundary({
          claims,
          requireNamespaceConsent: readRequireNamespaceConsent(config),
        });

        // Canary health: Istio's telemetry of the same rollouts, from Prometheus.
        const withPrometheus = metricsConfig.clusters.filter(c => c.prometheus);
        logger.info(
          withPrometheus.length
            ? `Canary health from Prometheus for ${withPrometheus
                .map(c => c.cluster)
                .join(', ')}`
            : 'No Prometheus configured: set istioRollouts.prometheus for canary health',
        );

        // GitOps mode: changes of VirtualServices Argo CD or Flux sync from a configured repository go to Git.
        const gitopsConfig = readGitOpsConfig(config);
        const gitops = gitopsConfig && {
          changes: new GitOpsChanges({
            config: gitopsConfig,
            integrations: ScmIntegrations.fromConfig(config),
            logger,
          }),
          clients,
          authorOf: commitAuthorFromCatalog(catalog, auth),
        };

        const rollouts = new EntityRolloutsService({
          catalog,
          permissions,
          reader,
          allowedActions,
          boundary,
          history,
          withPlans: read =>
            withRoutePlans(planStore, read, new Date().toISOString()),
          gitopsModes:
            gitops &&
            new GitOpsModes({
              changes: gitops.changes,
              clientOf: async name => {
                const cluster = clusters.list().find(c => c.name === name);
                return cluster && clients.get(cluster);
              },
              logger,
            }),
          logger,
        });

        // The one way to change traffic: people's actions and plans' steps alike.
        const actions = new RolloutActionsService({
          catalog,
          permissions,
          allowedActions,
          reader,
          writer: new RolloutWriter({ clients, timeoutMs, logger }),
          history,
          logger,
          boundary,
          userInfo,
          auth,
          gitops,
        });
        const metricsReader = new RolloutMetricsReader({
          clusters: () => metricsConfig.prometheusOf(clusters.list()),
          analysis: metricsConfig.analysis,
          logger,
        });
        const actors = new PlanActors(auth, ISTIO_ROLLOUTS_PLUGIN_ID);
        const nudge = await schedulePlanRunner({
          scheduler,
          runner: new PlanRunner({
            store: planStore,
            actions,
            reader,
            catalog,
            auth,
            actors,
            history,
            metrics: metricsReader,
            auditor,
            logger,
          }),
          tickSeconds: plansConfig.tickSeconds,
          logger,
        });

        const metrics = new EntityMetricsService({
          rollouts,
          reader: metricsReader,
        });
        const plans = new PlanService({
          catalog,
          permissions,
          reader,
          store: planStore,
          actors,
          config: plansConfig,
          logger,
          boundary,
          nudge,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            rollouts,
            actions,
            history: new EntityHistoryService({
              catalog,
              permissions,
              history,
            }),
            metrics,
            plans,
            portal: new PortalRolloutsService({
              reader,
              claims,
              catalog,
              permissions,
              withPlans: read =>
                withRoutePlans(planStore, read, new Date().toISOString()),
              metrics: metricsReader,
            }),
          }),
        );
        // The same services for agents, through the actions registry (MCP).
        registerAgentActions(actionsRegistry, {
          rollouts,
          metrics,
          actions,
          plans,
          auth,
          auditor,
        });
        // Health is for load balancers and scripts, which carry no Backstage token.
        httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
