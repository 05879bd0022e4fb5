import type { Config } from '@backstage/config';
import {
  CanaryThresholds,
  DEFAULT_CANARY_THRESHOLDS,
} from '@internal/plugin-istio-rollouts-common';

/** How long one Prometheus query may take when `timeoutMs` is not set. */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 3000;

/** The canary analysis when `istioRollouts.canaryAnalysis` sets nothing. */
export const DEFAULT_CANARY_ANALYSIS: CanaryAnalysis = {
  thresholds: DEFAULT_CANARY_THRESHOLDS,
  windowSeconds: 60,
  rangeSeconds: 1800,
  stepSeconds: 30,
  cacheSeconds: 10,
};

/** Prometheus refuses a range query of more points than this per series. */
const MAX_POINTS = 11000;

/** A Prometheus label name. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Where a cluster's Istio telemetry is, and how to ask for it. */
export interface PrometheusConfig {
  /** Base URL of the Prometheus (or Thanos, Mimir…) HTTP API, without a trailing slash. */
  url: string;
  /**
   * The label that tells clusters apart in a Prometheus holding several: every query of a cluster then
   * selects `<clusterLabel>="<cluster name>"`.
   */
  clusterLabel?: string;
  timeoutMs: number;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir or Cortex. */
  headers?: Record<string, string>;
}

/** One configured cluster and its Prometheus, if it has one. */
export interface ClusterPrometheus {
  cluster: string;
  prometheus?: PrometheusConfig;
}

/** How canaries are judged and how their series are drawn. */
export interface CanaryAnalysis {
  thresholds: CanaryThresholds;
  /** The rate window of every figure, in seconds. */
  windowSeconds: number;
  /** The span of the series, in seconds. */
  rangeSeconds: number;
  /** The step of the series, in seconds. */
  stepSeconds: number;
  /** How long an entity's answer from one cluster is reused, in seconds; 0 asks Prometheus on every read. */
  cacheSeconds: number;
}

/** A cluster as the metrics config tells its Prometheus: by name, or a catalog-located one by its credentials entry. */
export interface PrometheusClusterRef {
  name: string;
  /** Set for a catalog-located cluster: its `istioRollouts.catalogClusters.credentials` entry. */
  catalog?: { credentials: number };
}

/** Everything the metrics reader needs from config. */
export interface MetricsConfig {
  /** The configured clusters' Prometheus. */
  clusters: ClusterPrometheus[];
  /**
   * The Prometheus of clusters as they are now, catalog-located ones included: the same
   * {@link PrometheusConfig} object for a cluster every time, so its client is made once.
   */
  prometheusOf(clusters: PrometheusClusterRef[]): ClusterPrometheus[];
  analysis: CanaryAnalysis;
}

function fail(key: string, what: string): never {
  throw new Error(`Istio Rollouts: ${key} ${what}`);
}

function readPrometheus(c: Config, key: string): PrometheusConfig {
  const url = c.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`${key}.url`, `is not a valid URL: "${url}"`);
  }
  // Plain http is common for a Prometheus inside the cluster: allowed.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    fail(`${key}.url`, `must use http or https, got "${parsed.protocol}"`);
  }
  if (parsed.username || parsed.password) {
    fail(
      `${key}.url`,
      `must not carry credentials; set ${key}.basicAuth (or bearerToken) instead`,
    );
  }
  if (parsed.search || parsed.hash) {
    fail(`${key}.url`, 'must have no query string or fragment');
  }

  const clusterLabel = c.getOptionalString('clusterLabel');
  if (clusterLabel !== undefined && !LABEL_NAME.test(clusterLabel)) {
    fail(
      `${key}.clusterLabel`,
      `must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got "${clusterLabel}"`,
    );
  }

  const timeoutMs =
    c.getOptionalNumber('timeoutMs') ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail(
      `${key}.timeoutMs`,
      `must be a positive number of milliseconds, got ${timeoutMs}`,
    );
  }

  const bearerToken = c.getOptionalString('bearerToken');
  const basic = c.getOptionalConfig('basicAuth');
  if (bearerToken !== undefined && basic) {
    fail(key, 'sets both bearerToken and basicAuth; set one of them');
  }
  const basicAuth = basic && {
    username: basic.getString('username'),
    password: basic.getString('password'),
  };

  const headerConfig = c.getOptionalConfig('headers');
  const headers = headerConfig
    ?.keys()
    .reduce<Record<string, string>>((all, name) => {
      if (!HEADER_NAME.test(name)) {
        fail(`${key}.headers`, `has "${name}", which is no HTTP header name`);
      }
      if (
        name.toLowerCase() === 'authorization' &&
        (bearerToken !== undefined || basicAuth)
      ) {
        fail(
          `${key}.headers`,
          'sets Authorization besides bearerToken or basicAuth; set one of them',
        );
      }
      all[name] = headerConfig.getString(name);
      return all;
    }, {});

  return {
    url: url.replace(/\/+$/, ''),
    ...(clusterLabel !== undefined && { clusterLabel }),
    timeoutMs,
    ...(bearerToken !== undefined && { bearerToken }),
    ...(basicAuth && { basicAuth }),
    ...(headers && Object.keys(headers).length > 0 && { headers }),
  };
}

/**
 * Which Prometheus each cluster's telemetry is in: a cluster of `istioRollouts.clusters` with a `prometheus`
 * of its own uses that one (it replaces the global one entirely, credentials included), every other cluster
 * (those from `kubernetes.clusterLocatorMethods` too) `istioRollouts.prometheus`, and a cluster with neither
 * has none. `clusters` are the names `readClusters` read, in its order. A catalog-located cluster uses the
 * `prometheus` of its credentials entry in `istioRollouts.catalogClusters`, else the global one.
 */
export function readClusterPrometheus(
  config: Config,
  clusters: Array<{ name: string }>,
): ClusterPrometheus[] {
  return prometheusResolver(config)(clusters);
}

/**
 * Reads every Prometheus in config once, and answers which one each cluster uses: a configured cluster's own,
 * a catalog-located cluster's credentials entry's own, or else `istioRollouts.prometheus`.
 */
function prometheusResolver(
  config: Config,
): (clusters: PrometheusClusterRef[]) => ClusterPrometheus[] {
  const globalConfig = config.getOptionalConfig('istioRollouts.prometheus');
  const global =
    globalConfig && readPrometheus(globalConfig, 'istioRollouts.prometheus');
  const catalog = (
    config.getOptionalConfigArray(
      'istioRollouts.catalogClusters.credentials',
    ) ?? []
  ).map((c, i) => {
    const prometheus = c.getOptionalConfig('prometheus');
    return (
      prometheus &&
      readPrometheus(
        prometheus,
        `istioRollouts.catalogClusters.credentials[${i}].prometheus`,
      )
    );
  });
  const own = new Map<string, PrometheusConfig>();
  (config.getOptionalConfigArray('istioRollouts.clusters') ?? []).forEach(
    (c, i) => {
      const prometheus = c.getOptionalConfig('prometheus');
      if (prometheus) {
        own.set(
          c.getString('name'),
          readPrometheus(prometheus, `istioRollouts.clusters[${i}].prometheus`),
        );
      }
    },
  );
  return clusters =>
    clusters.map(({ name, catalog: located }) => {
      const prometheus =
        (located ? catalog[located.credentials] : own.get(name)) ?? global;
      return { cluster: name, ...(prometheus && { prometheus }) };
    });
}

/** Reads `istioRollouts.canaryAnalysis`, refusing values that would mean something else than intended. */
export function readCanaryAnalysis(config: Config): CanaryAnalysis {
  const key = 'istioRollouts.canaryAnalysis';
  const c = config.getOptionalConfig(key);
  const defaults = DEFAULT_CANARY_ANALYSIS;
  const number = (
    name: string,
    fallback: number,
    valid: (n: number) => boolean,
    what: string,
  ) => {
    const value = c?.getOptionalNumber(name);
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || !valid(value)) {
      fail(`${key}.${name}`, `must be ${what}, got ${value}`);
    }
    return value;
  };
  const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;

  const analysis: CanaryAnalysis = {
    thresholds: {
      minSuccessRate: number(
        'minSuccessRate',
        defaults.thresholds.minSuccessRate,
        n => n >= 0 && n <= 1,
        'a share between 0 and 1 (0.99 is 99 %)',
      ),
      maxLatencyP99Ms: number(
        'maxLatencyP99Ms',
        defaults.thresholds.maxLatencyP99Ms,
        n => n > 0,
        'a positive number of milliseconds',
      ),
      minRequests: number(
        'minRequests',
        defaults.thresholds.minRequests,
        positiveInteger,
        'a positive whole number of requests',
      ),
    },
    windowSeconds: number(
      'windowSeconds',
      defaults.windowSeconds,
      positiveInteger,
      'a positive whole number of seconds',
    ),
    rangeSeconds: number(
      'rangeSeconds',
      defaults.rangeSeconds,
      positiveInteger,
      'a positive whole number of seconds',
    ),
    stepSeconds: number(
      'stepSeconds',
      defaults.stepSeconds,
      positiveInteger,
      'a positive whole number of seconds',
    ),
    cacheSeconds: number(
      'cacheSeconds',
      defaults.cacheSeconds,
      n => n >= 0,
      '0 or a positive number of seconds',
    ),
  };
  if (analysis.stepSeconds > analysis.rangeSeconds) {
    fail(
      `${key}.stepSeconds`,
      `(${analysis.stepSeconds}) must not exceed rangeSeconds (${analysis.rangeSeconds})`,
    );
  }
  if (analysis.rangeSeconds / analysis.stepSeconds >= MAX_POINTS) {
    fail(
      `${key}.stepSeconds`,
      `(${analysis.stepSeconds}) is too small for rangeSeconds (${analysis.rangeSeconds}): Prometheus answers at most ${MAX_POINTS} points per series`,
    );
  }
  return analysis;
}

/** Reads the Prometheus of every cluster and the canary analysis. */
export function readMetricsConfig(
  config: Config,
  clusters: Array<{ name: string }>,
): MetricsConfig {
  const prometheusOf = prometheusResolver(config);
  return {
    clusters: prometheusOf(clusters),
    prometheusOf,
    analysis: readCanaryAnalysis(config),
  };
}
