import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterMetricsStatus,
  ClusterStatus,
  RolloutMetrics,
  RolloutMetricsResponse,
  RolloutReadModel,
  rolloutCanaryHealth,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';
import {
  latencyQuery,
  requestsQuery,
  IstioQueryOptions,
  WorkloadRef,
} from './istioQueries';
import type {
  CanaryAnalysis,
  ClusterPrometheus,
  PrometheusConfig,
} from './metricsConfig';
import {
  PrometheusApi,
  PrometheusClient,
  PrometheusQueryError,
} from './PrometheusClient';
import { subsetMetrics } from './subsetMetrics';
import {
  ClusterTelemetry,
  readTelemetry,
  workloadKey,
} from './workloadTelemetry';

/** How many answers are kept at most; the oldest goes first. */
const MAX_CACHED = 1000;

/** A cluster's Prometheus answer for an entity's workloads: the telemetry at a time, or why there is none. */
type ClusterAnswer =
  | { telemetry: ClusterTelemetry; end: number }
  | { error: { reason: string; message: string } };

/** Makes the client of a cluster's Prometheus. */
export type PrometheusClientFactory = (
  cluster: string,
  config: PrometheusConfig,
) => PrometheusApi;

/**
 * Reads the canary health of an entity's rollouts: for every cluster at once, the two Istio queries over all of
 * the entity's workloads there (never more), the figures of each subset, and the verdicts and findings of
 * common's canary rule. A cluster without Prometheus is `notConfigured`; one whose Prometheus fails is
 * `unavailable` with the reason, while the others answer. Answers are reused per entity, cluster and set of
 * workloads for `cacheSeconds`, so the tab's polling costs Prometheus little.
 *
 * Nothing here knows where Prometheus runs: any URL that speaks its HTTP API does.
 */
export class RolloutMetricsReader {
  /** Asked on every read: catalog-located clusters come and go while the backend runs. */
  private readonly clusters: () => ClusterPrometheus[];
  private readonly analysis: CanaryAnalysis;
  private readonly clientFor: PrometheusClientFactory;
  private readonly clients = new Map<
    string,
    { config: PrometheusConfig; client: PrometheusApi }
  >();
  private readonly onQuery?: (cluster: string, query: string) => void;
  private readonly now: () => number;
  private readonly logger?: LoggerService;
  private readonly cache = new Map<
    string,
    { expiresAt: number; answer: Promise<ClusterAnswer> }
  >();
  private sent = 0;

  constructor(options: {
    /** A fixed list, or the clusters as they are now. */
    clusters: ClusterPrometheus[] | (() => ClusterPrometheus[]);
    analysis: CanaryAnalysis;
    /** The client of a cluster's Prometheus; a {@link PrometheusClient} over HTTP by default. */
    clientFor?: PrometheusClientFactory;
    /** Told of every query sent, with its cluster. */
    onQuery?: (cluster: string, query: string) => void;
    /** The time in milliseconds; `Date.now` by default. */
    now?: () => number;
    logger?: LoggerService;
  }) {
    const { clusters } = options;
    this.clusters = Array.isArray(clusters) ? () => clusters : clusters;
    this.analysis = options.analysis;
    this.onQuery = options.onQuery;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.clientFor =
      options.clientFor ??
      ((cluster, config) => new PrometheusClient({ cluster, config }));
    for (const { cluster, prometheus } of this.clusters()) {
      if (prometheus) this.clientOf(cluster, prometheus);
    }
  }

  /** How many queries were sent to every Prometheus since the reader was made. */
  get queriesSent(): number {
    return this.sent;
  }

  /**
   * The canary health of `rollouts`, the entity's rollouts as the read model built them. `clusterStatuses`, the
   * rollouts read's own, tells which clusters could not be read (their rollouts are unknown).
   */
  async read(
    entityRef: string,
    rollouts: RolloutReadModel[],
    clusterStatuses: ClusterStatus[] = [],
  ): Promise<RolloutMetricsResponse> {
    const { windowSeconds, rangeSeconds, stepSeconds, thresholds } =
      this.analysis;
    const results = await Promise.all(
      this.clusters().map(cluster =>
        this.readCluster(
          entityRef,
          cluster,
          rollouts.filter(r => r.cluster === cluster.cluster),
          clusterStatuses.find(s => s.name === cluster.cluster),
        ),
      ),
    );
    return {
      windowSeconds,
      rangeSeconds,
      stepSeconds,
      thresholds,
      clusters: results.map(r => r.status),
      rollouts: results.flatMap(r => r.rollouts),
    };
  }

  private async readCluster(
    entityRef: string,
    { cluster, prometheus }: ClusterPrometheus,
    rollouts: RolloutReadModel[],
    read: ClusterStatus | undefined,
  ): Promise<{ status: ClusterMetricsStatus; rollouts: RolloutMetrics[] }> {
    if (!prometheus) {
      return {
        status: { name: cluster, status: 'notConfigured' },
        rollouts: [],
      };
    }
    if (read?.status === 'error') {
      const why = read.error ? ` (${read.error.reason})` : '';
      return {
        status: {
          name: cluster,
          status: 'unavailable',
          error: {
            reason: 'ClusterUnavailable',
            message: `Cluster "${cluster}" could not be read${why}, so which workloads to measure there is not known`,
          },
        },
        rollouts: [],
      };
    }

    const workloads = uniqueWorkloads(rollouts);
    const answer: ClusterAnswer =
      workloads.length === 0
        ? { telemetry: new Map(), end: this.end() }
        : await this.cachedAnswer(entityRef, cluster, prometheus, workloads);
    if ('error' in answer) {
      return {
        status: { name: cluster, status: 'unavailable', error: answer.error },
        rollouts: [],
      };
    }

    const frame = {
      end: answer.end,
      windowSeconds: this.analysis.windowSeconds,
    };
    return {
      status: { name: cluster, status: 'ok' },
      rollouts: rollouts.map(rollout => {
        const subsets = rollout.subsets.map(s =>
          subsetMetrics(s, answer.telemetry, frame),
        );
        const health = rolloutCanaryHealth(
          rollout,
          subsets,
          this.analysis.thresholds,
        );
        return { rolloutId: rollout.id, subsets, ...health };
      }),
    };
  }

  /**
   * The figures of some subsets of one rollout over `windowSeconds` (a step plan's analysis window), and when they
   * were read; undefined when its cluster has no Prometheus, the rollout no workloads, or Prometheus failed (the
   * plan's measurement is then inconclusive).
   */
  async readSubsets(
    entityRef: string,
    rollout: RolloutReadModel,
    subsets: string[],
    windowSeconds: number,
  ): Promise<{ observedAt: string; subsets: SubsetMetrics[] } | undefined> {
    const cluster = this.clusters().find(c => c.cluster === rollout.cluster);
    const workloads = uniqueWorkloads([rollout]);
    if (!cluster?.prometheus || workloads.length === 0) return undefined;
    const answer = await this.cachedAnswer(
      entityRef,
      cluster.cluster,
      cluster.prometheus,
      workloads,
      windowSeconds,
    );
    if ('error' in answer) return undefined;
    const frame = { end: answer.end, windowSeconds };
    return {
      observedAt: new Date(answer.end * 1000).toISOString(),
      subsets: rollout.subsets
        .filter(s => subsets.includes(s.name))
        .map(s => subsetMetrics(s, answer.telemetry, frame)),
    };
  }

  /** The client of the cluster's Prometheus: made once per cluster and config. */
  private clientOf(cluster: string, config: PrometheusConfig): PrometheusApi {
    const known = this.clients.get(cluster);
    if (known?.config === config) return known.client;
    const client = this.clientFor(cluster, config);
    this.clients.set(cluster, { config, client });
    return client;
  }

  /** Now, in whole Unix seconds: the last point of every series. */
  private end(): number {
    return Math.floor(this.now() / 1000);
  }

  private cachedAnswer(
    entityRef: string,
    cluster: string,
    prometheus: PrometheusConfig,
    workloads: WorkloadRef[],
    windowSeconds = this.analysis.windowSeconds,
  ): Promise<ClusterAnswer> {
    const ttlMs = this.analysis.cacheSeconds * 1000;
    if (ttlMs <= 0) {
      return this.ask(cluster, prometheus, workloads, windowSeconds);
    }
    const key = [
      entityRef,
      cluster,
      windowSeconds,
      ...workloads.map(workloadKey),
    ].join('\u0000');
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;

    this.cache.delete(key);
    for (const [k, entry] of this.cache) {
      if (this.cache.size < MAX_CACHED && entry.expiresAt > now) break;
      this.cache.delete(k);
    }
    // Kept while it is asked, too: reads that come meanwhile wait for it instead of asking again.
    const answer = this.ask(cluster, prometheus, workloads, windowSeconds);
    this.cache.set(key, { expiresAt: now + ttlMs, answer });
    return answer;
  }

  /** The cluster's two queries, at once; never throws. */
  private async ask(
    cluster: string,
    prometheus: PrometheusConfig,
    workloads: WorkloadRef[],
    windowSeconds: number,
  ): Promise<ClusterAnswer> {
    const { rangeSeconds, stepSeconds } = this.analysis;
    const end = this.end();
    const range = {
      start: end - Math.floor(rangeSeconds / stepSeconds) * stepSeconds,
      end,
      step: stepSeconds,
    };
    const options: IstioQueryOptions = {
      workloads,
      windowSeconds,
      ...(prometheus.clusterLabel && {
        cluster: { label: prometheus.clusterLabel, name: cluster },
      }),
    };
    const client = this.clientOf(cluster, prometheus);
    const query = (promql: string) => {
      this.sent += 1;
      this.onQuery?.(cluster, promql);
      return client.queryRange(promql, range);
    };
    try {
      const [requests, latency] = await Promise.all([
        query(requestsQuery(options)),
        query(latencyQuery(options)),
      ]);
      return { telemetry: readTelemetry(workloads, requests, latency), end };
    } catch (e) {
      const error =
        e instanceof PrometheusQueryError
          ? { reason: e.reason, message: e.message }
          : {
              reason: 'Unknown',
              message: `The Prometheus of cluster "${cluster}" could not be read`,
            };
      this.logger?.warn(
        `Canary health: ${error.message}`,
        e instanceof PrometheusQueryError ? undefined : (e as Error),
      );
      return { error };
    }
  }
}

/** Every workload of the rollouts' subsets, once each, in a stable order. */
function uniqueWorkloads(rollouts: RolloutReadModel[]): WorkloadRef[] {
  const all = new Map<string, WorkloadRef>();
  for (const rollout of rollouts) {
    for (const subset of rollout.subsets) {
      for (const w of subset.workloads) {
        const ref = { namespace: w.namespace, name: w.name };
        all.set(workloadKey(ref), ref);
      }
    }
  }
  return [...all.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, ref]) => ref);
}
