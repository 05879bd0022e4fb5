import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CLUSTER_TIMEOUT_MS,
  readClusters,
  readClusterTimeoutMs,
} from './readClusters';

const kubernetesPlugin = {
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      { type: 'catalog' },
      {
        type: 'config',
        clusters: [
          {
            name: 'east',
            url: 'https://east.example.com:6443/',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'read-token',
            caData: 'Q0E=',
          },
          {
            name: 'west',
            title: 'West (prod)',
            url: 'https://west.example.com',
            authProvider: 'serviceAccount',
            caFile: '/etc/ca/west.pem',
            skipTLSVerify: true,
          },
        ],
      },
    ],
  },
};

describe('readClusters', () => {
  it('reads the Kubernetes plugin config clusters, ignoring other locator types', () => {
    expect(readClusters(new ConfigReader(kubernetesPlugin))).toEqual([
      {
        name: 'east',
        title: undefined,
        url: 'https://east.example.com:6443',
        serviceAccountToken: 'read-token',
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
        allowInsecureHttp: false,
        impersonate: false,
      },
      {
        name: 'west',
        title: 'West (prod)',
        url: 'https://west.example.com',
        serviceAccountToken: undefined,
        caData: undefined,
        caFile: '/etc/ca/west.pem',
        skipTLSVerify: true,
        allowInsecureHttp: false,
        impersonate: false,
      },
    ]);
  });

  it('lets istioRollouts.clusters override the Kubernetes plugin clusters entirely', () => {
    const config = new ConfigReader({
      ...kubernetesPlugin,
      istioRollouts: {
        clusters: [
          {
            name: 'east',
            url: 'http://127.0.0.1:6551',
            serviceAccountToken: 'write-token',
            allowInsecureHttp: true,
            namespaces: ['bookinfo'],
            impersonate: true,
          },
        ],
      },
    });
    expect(readClusters(config)).toEqual([
      {
        name: 'east',
        title: undefined,
        url: 'http://127.0.0.1:6551',
        serviceAccountToken: 'write-token',
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        allowInsecureHttp: true,
        namespaces: ['bookinfo'],
        impersonate: true,
      },
    ]);
  });

  it('refuses a plain http url unless the cluster allows it, naming the cluster', () => {
    const config = new ConfigReader({
      istioRollouts: {
        clusters: [
          {
            name: 'lab',
            url: 'http://10.0.0.1:8080',
            serviceAccountToken: 't',
          },
        ],
      },
    });
    expect(() => readClusters(config)).toThrow(
      'Istio Rollouts: cluster "lab" (istioRollouts.clusters[0]) url "http://10.0.0.1:8080" is plain http, which sends its serviceAccountToken unencrypted',
    );
  });

  it('refuses a namespace pin that is not a namespace name', () => {
    const config = new ConfigReader({
      istioRollouts: {
        clusters: [
          { name: 'a', url: 'https://a', namespaces: ['bookinfo', 'Not A NS'] },
        ],
      },
    });
    expect(() => readClusters(config)).toThrow(
      'cluster "a" (istioRollouts.clusters[0]) namespaces lists "Not A NS"',
    );
  });

  it('has no clusters when neither source is configured', () => {
    expect(readClusters(new ConfigReader({}))).toEqual([]);
  });

  it('refuses an unsupported authProvider at startup, naming the cluster', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'gke-prod', url: 'https://gke', authProvider: 'google' },
            ],
          },
        ],
      },
    });
    expect(() => readClusters(config)).toThrow(
      'Istio Rollouts: cluster "gke-prod" (kubernetes.clusterLocatorMethods[0].clusters[0]) uses authProvider "google", which this plugin does not support',
    );
  });

  it('refuses an unsupported authProvider in the override too', () => {
    const config = new ConfigReader({
      istioRollouts: {
        clusters: [{ name: 'eks', url: 'https://eks', authProvider: 'aws' }],
      },
    });
    expect(() => readClusters(config)).toThrow(/cluster "eks".*"aws"/);
  });

  it('refuses an invalid or non-http url, naming the cluster', () => {
    const invalid = new ConfigReader({
      istioRollouts: { clusters: [{ name: 'a', url: 'not a url' }] },
    });
    expect(() => readClusters(invalid)).toThrow(
      'Istio Rollouts: cluster "a" (istioRollouts.clusters[0]) has an invalid url "not a url"',
    );
    const ftp = new ConfigReader({
      istioRollouts: { clusters: [{ name: 'b', url: 'ftp://b' }] },
    });
    expect(() => readClusters(ftp)).toThrow(/cluster "b".*http or https/);
  });

  it('refuses duplicate cluster names', () => {
    const config = new ConfigReader({
      istioRollouts: {
        clusters: [
          { name: 'a', url: 'https://a1' },
          { name: 'a', url: 'https://a2' },
        ],
      },
    });
    expect(() => readClusters(config)).toThrow(
      'cluster name "a" is configured twice',
    );
  });

  it('requires authProvider in the Kubernetes plugin config, as that plugin does', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [{ name: 'a', url: 'https://a' }] },
        ],
      },
    });
    expect(() => readClusters(config)).toThrow(/authProvider/);
  });
});

describe('readClusterTimeoutMs', () => {
  it('defaults to 5 s', () => {
    expect(readClusterTimeoutMs(new ConfigReader({}))).toBe(
      DEFAULT_CLUSTER_TIMEOUT_MS,
    );
    expect(DEFAULT_CLUSTER_TIMEOUT_MS).toBe(5000);
  });

  it('reads istioRollouts.clusterTimeoutMs', () => {
    const config = new ConfigReader({
      istioRollouts: { clusterTimeoutMs: 1500 },
    });
    expect(readClusterTimeoutMs(config)).toBe(1500);
  });

  it('refuses a timeout that is not positive', () => {
    const config = new ConfigReader({ istioRollouts: { clusterTimeoutMs: 0 } });
    expect(() => readClusterTimeoutMs(config)).toThrow(
      'istioRollouts.clusterTimeoutMs must be a positive number',
    );
  });
});
