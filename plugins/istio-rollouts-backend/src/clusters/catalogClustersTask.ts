import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ClusterRegistry } from './ClusterRegistry';

/** The scheduler task that looks catalog-located clusters up again, on every replica. */
export const CATALOG_CLUSTERS_TASK_ID = 'istio-rollouts-catalog-clusters';

/** How long startup waits for the first lookup; it goes on in the background after that. */
export const FIRST_LOOKUP_TIMEOUT_MS = 10_000;

/** After a failed first lookup, the next one comes this soon (at most). */
const RETRY_SECONDS = 5;

/**
 * Looks the catalog's clusters up once before the plugin serves (waiting at most `firstLookupTimeoutMs`: a slow
 * catalog delays the plugin's start, never blocks it), then every `refreshIntervalSeconds` on each replica.
 */
export async function startCatalogClusters(options: {
  registry: ClusterRegistry;
  scheduler: SchedulerService;
  refreshIntervalSeconds: number;
  logger: LoggerService;
  firstLookupTimeoutMs?: number;
}): Promise<void> {
  const { registry, scheduler, refreshIntervalSeconds, logger } = options;
  const timeoutMs = options.firstLookupTimeoutMs ?? FIRST_LOOKUP_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const found = await Promise.race([
    registry.refresh(),
    new Promise<false>(resolve => {
      timer = setTimeout(() => {
        logger.warn(
          `Istio Rollouts: the catalog did not answer the clusters' lookup within ${timeoutMs} ms; starting without the clusters it locates`,
        );
        resolve(false);
      }, timeoutMs);
    }),
  ]);
  clearTimeout(timer);

  await scheduler.scheduleTask({
    id: CATALOG_CLUSTERS_TASK_ID,
    scope: 'local',
    frequency: { seconds: refreshIntervalSeconds },
    timeout: { seconds: Math.max(30, refreshIntervalSeconds) },
    initialDelay: {
      seconds: found
        ? refreshIntervalSeconds
        : Math.min(RETRY_SECONDS, refreshIntervalSeconds),
    },
    fn: async () => {
      await registry.refresh();
    },
  });
  logger.info(
    `Istio Rollouts: clusters are looked up in the catalog every ${refreshIntervalSeconds} s`,
  );
}
