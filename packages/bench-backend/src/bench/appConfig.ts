/*
 * The bench backend's configuration for one scenario: its own port, SQLite in
 * a temporary directory, the generated catalog file, and the same clusters
 * for Istio Rollouts and for Backstage's Kubernetes backend.
 */

export interface BenchCluster {
  name: string;
  url: string;
  /**
   * This cluster's Prometheus, for canary health
   * (`istioRollouts.clusters[].prometheus`). Set on any cluster, it gives
   * Istio Rollouts a cluster list of its own, `istioRollouts.clusters`: the
   * same clusters and token, where a cluster's Prometheus is configured.
   */
  prometheus?: { url: string; clusterLabel?: string; timeoutMs?: number };
}

export interface BenchAppConfigOptions {
  port: number;
  /** Directory for the SQLite files. */
  sqliteDirectory: string;
  /** Absolute path of the generated catalog file. */
  catalogFile: string;
  clusters: BenchCluster[];
  /** The clusters' bearer token (kube-sim's users file). */
  token: string;
  /**
   * Istio Rollouts' per-cluster read budget, ms (default 120 s: at 20 × 5,000
   * and 16 reads at once the simulated clusters queue for tens of seconds;
   * the bench measures that rather than timing out).
   */
  clusterTimeoutMs?: number;
  /** Istio Rollouts' watch cache (`istioRollouts.cache.watch`); on by default, as in the product. */
  watchCache?: boolean;
  /**
   * How long an entity's canary health is reused
   * (`istioRollouts.canaryAnalysis.cacheSeconds`); the product's default
   * (10 s) when absent, 0 asks Prometheus on every read.
   */
  canaryCacheSeconds?: number;
}

/** Backstage's Kubernetes backend asked for the same kinds the plugin lists. */
export const KUBERNETES_BACKEND_OBJECT_TYPES = ['services', 'deployments'];
export const ISTIO_CUSTOM_RESOURCES = [
  { group: 'networking.istio.io', apiVersion: 'v1', plural: 'virtualservices' },
  {
    group: 'networking.istio.io',
    apiVersion: 'v1',
    plural: 'destinationrules',
  },
];

/**
 * The app-config of one scenario, as an object (write it as JSON: every JSON
 * file is a YAML file). The app is served by the backend itself
 * (`app-backend`), so `app.baseUrl` is the backend's URL.
 */
export function benchAppConfig(options: BenchAppConfigOptions) {
  const baseUrl = `http://localhost:${options.port}`;
  return {
    app: { title: 'Istio Rollouts bench', baseUrl },
    organization: { name: 'Bench' },
    backend: {
      baseUrl,
      listen: { port: options.port, host: '127.0.0.1' },
      csp: { 'connect-src': ["'self'", 'http:', 'https:'] },
      database: {
        client: 'better-sqlite3',
        connection: { directory: options.sqliteDirectory },
      },
    },
    auth: {
      environment: 'development',
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
      locations: [{ type: 'file', target: options.catalogFile }],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: options.token,
            skipMetricsLookup: true,
            // kube-sim serves plain http on loopback.
            allowInsecureHttp: true,
          })),
        },
      ],
      objectTypes: KUBERNETES_BACKEND_OBJECT_TYPES,
      customResources: ISTIO_CUSTOM_RESOURCES,
    },
    istioRollouts: {
      clusterTimeoutMs: options.clusterTimeoutMs ?? 120_000,
      ...(options.watchCache === false && { cache: { watch: false } }),
      ...(options.clusters.some(c => c.prometheus) && {
        clusters: options.clusters.map(c => ({
          name: c.name,
          url: c.url,
          serviceAccountToken: options.token,
          allowInsecureHttp: true,
          ...(c.prometheus && { prometheus: c.prometheus }),
        })),
      }),
      ...(options.canaryCacheSeconds !== undefined && {
        canaryAnalysis: { cacheSeconds: options.canaryCacheSeconds },
      }),
    },
  };
}
