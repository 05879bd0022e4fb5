import { benchAppConfig } from './appConfig';

const base = {
  port: 7100,
  sqliteDirectory: 'sqlite',
  catalogFile: 'catalog.yaml',
  token: 'token',
};

describe('benchAppConfig', () => {
  it('leaves Istio Rollouts on the Kubernetes backend’s clusters by default', () => {
    const config = benchAppConfig({
      ...base,
      clusters: [{ name: 'c00', url: 'http://127.0.0.1:1' }],
    });
    expect(config.istioRollouts).toEqual({ clusterTimeoutMs: 120_000 });
    expect(
      config.kubernetes.clusterLocatorMethods[0].clusters.map(c => c.name),
    ).toEqual(['c00']);
  });

  it('gives each cluster its Prometheus in istioRollouts.clusters, and the answer cache', () => {
    const prometheus = { url: 'http://127.0.0.1:9', clusterLabel: 'cluster' };
    const config = benchAppConfig({
      ...base,
      clusters: [
        { name: 'c00', url: 'http://127.0.0.1:1', prometheus },
        { name: 'c01', url: 'http://127.0.0.1:2', prometheus },
      ],
      canaryCacheSeconds: 0,
    });
    expect(config.istioRollouts).toEqual({
      clusterTimeoutMs: 120_000,
      clusters: [
        {
          name: 'c00',
          url: 'http://127.0.0.1:1',
          serviceAccountToken: 'token',
          allowInsecureHttp: true,
          prometheus,
        },
        {
          name: 'c01',
          url: 'http://127.0.0.1:2',
          serviceAccountToken: 'token',
          allowInsecureHttp: true,
          prometheus,
        },
      ],
      canaryAnalysis: { cacheSeconds: 0 },
    });
    // The Kubernetes backend's clusters stay as they were, without Prometheus.
    expect(
      config.kubernetes.clusterLocatorMethods[0].clusters[0],
    ).not.toHaveProperty('prometheus');
  });
});
