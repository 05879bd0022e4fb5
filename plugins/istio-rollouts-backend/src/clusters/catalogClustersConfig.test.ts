import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CATALOG_CLUSTERS_REFRESH_SECONDS,
  readCatalogClustersConfig,
} from './catalogClustersConfig';

function read(catalogClusters: unknown) {
  return readCatalogClustersConfig(
    new ConfigReader({ istioRollouts: { catalogClusters } } as never),
  );
}

describe('readCatalogClustersConfig', () => {
  it('is off without istioRollouts.catalogClusters', () => {
    expect(readCatalogClustersConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads the defaults: every cluster Resource, no credentials, every 60 s', () => {
    expect(read({})).toEqual({
      refreshIntervalSeconds: DEFAULT_CATALOG_CLUSTERS_REFRESH_SECONDS,
      filter: {},
      credentials: [],
    });
  });

  it('reads credentials entries, keyed by the canonical API server URL', () => {
    expect(
      read({
        refreshIntervalSeconds: 30,
        filter: {
          'spec.owner': 'group:default/platform',
          'metadata.namespace': ['infra', 'default'],
        },
        credentials: [
          {
            apiServer: 'https://API.prod.example.com:443/',
            serviceAccountToken: 'prod-token',
            caData: 'Q0E=',
            namespaces: ['bookinfo'],
            impersonate: true,
          },
          {
            apiServer: 'http://127.0.0.1:8080',
            serviceAccountToken: 'sim-token',
            allowInsecureHttp: true,
            skipTLSVerify: true,
            caFile: '/etc/ca.pem',
          },
        ],
      }),
    ).toEqual({
      refreshIntervalSeconds: 30,
      filter: {
        'spec.owner': 'group:default/platform',
        'metadata.namespace': ['infra', 'default'],
      },
      credentials: [
        {
          apiServer: 'https://api.prod.example.com',
          serviceAccountToken: 'prod-token',
          caData: 'Q0E=',
          caFile: undefined,
          skipTLSVerify: false,
          allowInsecureHttp: false,
          namespaces: ['bookinfo'],
          impersonate: true,
        },
        {
          apiServer: 'http://127.0.0.1:8080',
          serviceAccountToken: 'sim-token',
          caData: undefined,
          caFile: '/etc/ca.pem',
          skipTLSVerify: true,
          allowInsecureHttp: true,
          impersonate: false,
        },
      ],
    });
  });

  it.each([
    [
      { refreshIntervalSeconds: 0 },
      'istioRollouts.catalogClusters.refreshIntervalSeconds must be a positive whole number of seconds, got 0',
    ],
    [
      { refreshIntervalSeconds: 1.5 },
      'istioRollouts.catalogClusters.refreshIntervalSeconds must be a positive whole number of seconds, got 1.5',
    ],
    [
      { credentials: [{ apiServer: 'nope' }] },
      'istioRollouts.catalogClusters.credentials[0].apiServer is not a valid URL',
    ],
    [
      { credentials: [{ apiServer: 'https://u:p@h' }] },
      'istioRollouts.catalogClusters.credentials[0].apiServer must not carry credentials (user:password@)',
    ],
    [
      {
        credentials: [{ apiServer: 'http://h:8080', serviceAccountToken: 't' }],
      },
      'istioRollouts.catalogClusters.credentials[0].apiServer "http://h:8080" is plain http, which sends the token unencrypted and unverified; use https, or set allowInsecureHttp: true on this entry (local simulators only)',
    ],
    [
      {
        credentials: [
          { apiServer: 'https://h' },
          { apiServer: 'https://H:443/' },
        ],
      },
      'istioRollouts.catalogClusters.credentials[1].apiServer "https://h" is the same API server as credentials[0]; give each API server one entry',
    ],
    [
      {
        credentials: [
          { apiServer: 'https://h', namespaces: ['Not_A_Namespace'] },
        ],
      },
      'istioRollouts.catalogClusters.credentials[0] namespaces lists "Not_A_Namespace", which is not a Kubernetes namespace name',
    ],
    [
      { filter: { kind: 'Component' } },
      'istioRollouts.catalogClusters.filter.kind is always set by the locator (kind: Resource, spec.type: kubernetes-cluster)',
    ],
    [
      { filter: { 'Spec.Type': 'other' } },
      'istioRollouts.catalogClusters.filter.Spec.Type is always set by the locator',
    ],
    [
      { filter: { 'spec.owner': 3 } },
      'istioRollouts.catalogClusters.filter.spec.owner must be a string or a non-empty list of strings',
    ],
    [
      { filter: { 'spec.owner': [] } },
      'istioRollouts.catalogClusters.filter.spec.owner must be a string or a non-empty list of strings',
    ],
    [
      { filter: ['spec.owner'] },
      'istioRollouts.catalogClusters.filter must be an object of catalog field paths and values',
    ],
  ])('refuses %j', (catalogClusters, message) => {
    expect(() => read(catalogClusters)).toThrow(`Istio Rollouts: ${message}`);
  });
});
