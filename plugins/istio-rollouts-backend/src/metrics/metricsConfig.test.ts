import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CANARY_ANALYSIS,
  readCanaryAnalysis,
  readClusterPrometheus,
  readMetricsConfig,
} from './metricsConfig';

const clusters = [{ name: 'east' }, { name: 'west' }];

function prometheusOf(istioRollouts: object, names = clusters) {
  return readClusterPrometheus(new ConfigReader({ istioRollouts }), names);
}

describe('readClusterPrometheus', () => {
  it('gives no cluster a Prometheus when none is configured', () => {
    expect(prometheusOf({})).toEqual([
      { cluster: 'east' },
      { cluster: 'west' },
    ]);
  });

  it('gives every cluster the global Prometheus, with its defaults', () => {
    expect(
      prometheusOf({
        prometheus: {
          url: 'http://prometheus.monitoring:9090/',
          clusterLabel: 'cluster',
        },
      }),
    ).toEqual([
      {
        cluster: 'east',
        prometheus: {
          url: 'http://prometheus.monitoring:9090',
          clusterLabel: 'cluster',
          timeoutMs: 3000,
        },
      },
      {
        cluster: 'west',
        prometheus: {
          url: 'http://prometheus.monitoring:9090',
          clusterLabel: 'cluster',
          timeoutMs: 3000,
        },
      },
    ]);
  });

  it('uses a cluster’s own Prometheus instead of the global one, credentials and all', () => {
    const read = readClusterPrometheus(
      new ConfigReader({
        istioRollouts: {
          prometheus: {
            url: 'https://thanos.example.com/api/prom',
            clusterLabel: 'k8s_cluster',
            bearerToken: 'global-token',
          },
          clusters: [
            { name: 'east', url: 'https://east.example.com' },
            {
              name: 'west',
              url: 'https://west.example.com',
              prometheus: {
                url: 'https://prometheus.west.example.com',
                timeoutMs: 5000,
                basicAuth: { username: 'reader', password: 'secret' },
                headers: { 'X-Scope-OrgID': 'team-a' },
              },
            },
          ],
        },
      }),
      clusters,
    );
    expect(read).toEqual([
      {
        cluster: 'east',
        prometheus: {
          url: 'https://thanos.example.com/api/prom',
          clusterLabel: 'k8s_cluster',
          timeoutMs: 3000,
          bearerToken: 'global-token',
        },
      },
      {
        cluster: 'west',
        prometheus: {
          url: 'https://prometheus.west.example.com',
          timeoutMs: 5000,
          basicAuth: { username: 'reader', password: 'secret' },
          headers: { 'X-Scope-OrgID': 'team-a' },
        },
      },
    ]);
  });

  it('gives clusters of the Kubernetes plugin’s config the global Prometheus', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'east',
                url: 'https://east',
                authProvider: 'serviceAccount',
              },
            ],
          },
        ],
      },
      istioRollouts: { prometheus: { url: 'http://127.0.0.1:9090' } },
    });
    expect(readClusterPrometheus(config, [{ name: 'east' }])).toEqual([
      {
        cluster: 'east',
        prometheus: { url: 'http://127.0.0.1:9090', timeoutMs: 3000 },
      },
    ]);
  });

  it.each<[string, object, string]>([
    [
      'an invalid url',
      { prometheus: { url: 'not a url' } },
      'Istio Rollouts: istioRollouts.prometheus.url is not a valid URL: "not a url"',
    ],
    [
      'a url of another scheme',
      { prometheus: { url: 'ftp://prometheus' } },
      'Istio Rollouts: istioRollouts.prometheus.url must use http or https, got "ftp:"',
    ],
    [
      'credentials in the url',
      { prometheus: { url: 'https://user:pass@prometheus' } },
      'Istio Rollouts: istioRollouts.prometheus.url must not carry credentials; set istioRollouts.prometheus.basicAuth (or bearerToken) instead',
    ],
    [
      'a query string',
      { prometheus: { url: 'https://prometheus/?x=1' } },
      'Istio Rollouts: istioRollouts.prometheus.url must have no query string or fragment',
    ],
    [
      'a cluster label that is no label name',
      { prometheus: { url: 'http://p', clusterLabel: 'k8s-cluster' } },
      'Istio Rollouts: istioRollouts.prometheus.clusterLabel must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got "k8s-cluster"',
    ],
    [
      'a timeout of 0',
      { prometheus: { url: 'http://p', timeoutMs: 0 } },
      'Istio Rollouts: istioRollouts.prometheus.timeoutMs must be a positive number of milliseconds, got 0',
    ],
    [
      'two kinds of credentials',
      {
        prometheus: {
          url: 'http://p',
          bearerToken: 't',
          basicAuth: { username: 'u', password: 'p' },
        },
      },
      'Istio Rollouts: istioRollouts.prometheus sets both bearerToken and basicAuth; set one of them',
    ],
    [
      'an Authorization header besides a token',
      {
        prometheus: {
          url: 'http://p',
          bearerToken: 't',
          headers: { Authorization: 'Bearer x' },
        },
      },
      'Istio Rollouts: istioRollouts.prometheus.headers sets Authorization besides bearerToken or basicAuth; set one of them',
    ],
    [
      'a header name that is none',
      { prometheus: { url: 'http://p', headers: { 'X Org': 'a' } } },
      'Istio Rollouts: istioRollouts.prometheus.headers has "X Org", which is no HTTP header name',
    ],
    [
      'a bad url of one cluster',
      {
        clusters: [
          { name: 'east', url: 'https://east' },
          { name: 'west', url: 'https://west', prometheus: { url: 'nope' } },
        ],
      },
      'Istio Rollouts: istioRollouts.clusters[1].prometheus.url is not a valid URL: "nope"',
    ],
  ])('refuses %s at startup, naming the key', (_, istioRollouts, message) => {
    expect(() => prometheusOf(istioRollouts)).toThrow(message);
  });

  it('refuses a Prometheus without url through the config reader', () => {
    expect(() =>
      prometheusOf({ prometheus: { clusterLabel: 'cluster' } }),
    ).toThrow(/istioRollouts\.prometheus\.url/);
  });
});

describe('readCanaryAnalysis', () => {
  const analysisOf = (canaryAnalysis?: object) =>
    readCanaryAnalysis(new ConfigReader({ istioRollouts: { canaryAnalysis } }));

  it('has defaults', () => {
    expect(analysisOf()).toEqual({
      thresholds: {
        minSuccessRate: 0.99,
        maxLatencyP99Ms: 500,
        minRequests: 50,
      },
      windowSeconds: 60,
      rangeSeconds: 1800,
      stepSeconds: 30,
      cacheSeconds: 10,
    });
    expect(analysisOf()).toEqual(DEFAULT_CANARY_ANALYSIS);
  });

  it('reads every key', () => {
    expect(
      analysisOf({
        minSuccessRate: 0.95,
        maxLatencyP99Ms: 250,
        minRequests: 100,
        windowSeconds: 120,
        rangeSeconds: 3600,
        stepSeconds: 60,
        cacheSeconds: 0,
      }),
    ).toEqual({
      thresholds: {
        minSuccessRate: 0.95,
        maxLatencyP99Ms: 250,
        minRequests: 100,
      },
      windowSeconds: 120,
      rangeSeconds: 3600,
      stepSeconds: 60,
      cacheSeconds: 0,
    });
  });

  it.each<[object, string]>([
    [
      { minSuccessRate: 99 },
      'istioRollouts.canaryAnalysis.minSuccessRate must be a share between 0 and 1 (0.99 is 99 %), got 99',
    ],
    [
      { maxLatencyP99Ms: 0 },
      'istioRollouts.canaryAnalysis.maxLatencyP99Ms must be a positive number of milliseconds, got 0',
    ],
    [
      { minRequests: 2.5 },
      'istioRollouts.canaryAnalysis.minRequests must be a positive whole number of requests, got 2.5',
    ],
    [
      { windowSeconds: -60 },
      'istioRollouts.canaryAnalysis.windowSeconds must be a positive whole number of seconds, got -60',
    ],
    [
      { cacheSeconds: -1 },
      'istioRollouts.canaryAnalysis.cacheSeconds must be 0 or a positive number of seconds, got -1',
    ],
    [
      { rangeSeconds: 60, stepSeconds: 120 },
      'istioRollouts.canaryAnalysis.stepSeconds (120) must not exceed rangeSeconds (60)',
    ],
    [
      { rangeSeconds: 86400, stepSeconds: 1 },
      'istioRollouts.canaryAnalysis.stepSeconds (1) is too small for rangeSeconds (86400): Prometheus answers at most 11000 points per series',
    ],
  ])('refuses %j', (canaryAnalysis, message) => {
    expect(() => analysisOf(canaryAnalysis)).toThrow(
      `Istio Rollouts: ${message}`,
    );
  });
});

describe('readMetricsConfig', () => {
  it('reads both', () => {
    const config = readMetricsConfig(
      new ConfigReader({
        istioRollouts: {
          prometheus: { url: 'http://p:9090' },
          canaryAnalysis: { minRequests: 10 },
        },
      }),
      [{ name: 'east' }],
    );
    expect(config.clusters).toEqual([
      {
        cluster: 'east',
        prometheus: { url: 'http://p:9090', timeoutMs: 3000 },
      },
    ]);
    expect(config.analysis.thresholds.minRequests).toBe(10);
  });
});

describe('MetricsConfig.prometheusOf', () => {
  const config = readMetricsConfig(
    new ConfigReader({
      istioRollouts: {
        prometheus: { url: 'http://global:9090' },
        clusters: [
          {
            name: 'east',
            url: 'https://east',
            prometheus: { url: 'http://east-prom:9090' },
          },
        ],
        catalogClusters: {
          credentials: [
            {
              apiServer: 'https://prod.example.com',
              prometheus: {
                url: 'https://thanos.example.com',
                clusterLabel: 'cluster',
              },
            },
            { apiServer: 'https://staging.example.com' },
          ],
        },
      },
    }),
    [{ name: 'east' }],
  );

  it('gives a catalog-located cluster its credentials entry’s Prometheus, else the global one', () => {
    expect(
      config.prometheusOf([
        { name: 'east' },
        { name: 'prod', catalog: { credentials: 0 } },
        { name: 'staging', catalog: { credentials: 1 } },
      ]),
    ).toEqual([
      {
        cluster: 'east',
        prometheus: expect.objectContaining({ url: 'http://east-prom:9090' }),
      },
      {
        cluster: 'prod',
        prometheus: expect.objectContaining({
          url: 'https://thanos.example.com',
          clusterLabel: 'cluster',
        }),
      },
      {
        cluster: 'staging',
        prometheus: expect.objectContaining({ url: 'http://global:9090' }),
      },
    ]);
  });

  it('answers the same Prometheus object every time, so its client is made once', () => {
    const ref = [{ name: 'prod', catalog: { credentials: 0 } }];
    expect(config.prometheusOf(ref)[0].prometheus).toBe(
      config.prometheusOf(ref)[0].prometheus,
    );
  });

  it('refuses a credentials entry’s Prometheus it cannot use, naming the field', () => {
    expect(() =>
      readMetricsConfig(
        new ConfigReader({
          istioRollouts: {
            catalogClusters: {
              credentials: [
                {
                  apiServer: 'https://prod.example.com',
                  prometheus: { url: 'https://u:p@thanos.example.com' },
                },
              ],
            },
          },
        }),
        [],
      ),
    ).toThrow(
      'Istio Rollouts: istioRollouts.catalogClusters.credentials[0].prometheus.url must not carry credentials',
    );
  });
});
