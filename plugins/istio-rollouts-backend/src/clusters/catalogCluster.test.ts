import { Entity } from '@backstage/catalog-model';
import { locateCatalogClusters, readCatalogCluster } from './catalogCluster';
import type { CatalogCredentials } from './catalogClustersConfig';

const PROD: CatalogCredentials = {
  apiServer: 'https://prod.example.com:6443',
  serviceAccountToken: 'prod-token',
  caData: 'UFJPRC1DQQ==',
  skipTLSVerify: false,
  allowInsecureHttp: false,
  namespaces: ['bookinfo'],
  impersonate: true,
};
const SIM: CatalogCredentials = {
  apiServer: 'http://127.0.0.1:8080',
  serviceAccountToken: 'sim-token',
  skipTLSVerify: false,
  allowInsecureHttp: true,
  impersonate: false,
};
const CREDENTIALS = [PROD, SIM];

function resource(
  name: string,
  annotations: Record<string, string>,
  options: {
    namespace?: string;
    title?: string;
    type?: string;
    kind?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: options.kind ?? 'Resource',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.title && { title: options.title }),
      annotations,
    },
    spec: {
      type: options.type ?? 'kubernetes-cluster',
      owner: 'group:default/platform',
    },
  };
}

const api = (url: string) => ({ 'kubernetes.io/api-server': url });

describe('readCatalogCluster', () => {
  it('gives a Resource whose API server has a credentials entry that entry’s URL, token and TLS settings', () => {
    expect(
      readCatalogCluster(
        resource(
          'prod',
          {
            'kubernetes.io/api-server': 'https://PROD.example.com:6443/',
            'kubernetes.io/api-server-certificate-authority': 'UFJPRC1DQQ==',
            'kubernetes.io/auth-provider': 'google',
          },
          { title: 'Production' },
        ),
        CREDENTIALS,
      ),
    ).toEqual({
      cluster: {
        name: 'prod',
        title: 'Production',
        url: 'https://prod.example.com:6443',
        serviceAccountToken: 'prod-token',
        caData: 'UFJPRC1DQQ==',
        caFile: undefined,
        skipTLSVerify: false,
        allowInsecureHttp: false,
        namespaces: ['bookinfo'],
        impersonate: true,
        catalog: { entityRef: 'resource:default/prod', credentials: 0 },
      },
      warnings: [],
    });
  });

  it('matches plain http only to an entry that allows it', () => {
    const reading = readCatalogCluster(
      resource('sim', api('http://127.0.0.1:8080')),
      CREDENTIALS,
    );
    expect(reading).toMatchObject({
      cluster: {
        url: 'http://127.0.0.1:8080',
        serviceAccountToken: 'sim-token',
        allowInsecureHttp: true,
      },
    });
    // Same host, other scheme: another server as far as credentials go.
    expect(
      readCatalogCluster(
        resource('prod-http', api('http://prod.example.com:6443')),
        CREDENTIALS,
      ),
    ).toHaveProperty('unavailable.error.reason', 'MissingCredentials');
  });

  it('reports a Resource whose API server has no credentials entry as unavailable, naming it and what to configure', () => {
    const reading = readCatalogCluster(
      resource('harvest', api('https://evil.example.net'), {
        namespace: 'team-x',
        title: 'Totally prod',
      }),
      CREDENTIALS,
    );
    const message =
      'Cluster "harvest" is located by the catalog (resource:team-x/harvest) at https://evil.example.net, ' +
      'for which istioRollouts.catalogClusters.credentials has no entry, so the backend never contacts it. ' +
      "To read it, add an entry with apiServer: https://evil.example.net and the cluster's serviceAccountToken.";
    expect(reading).toEqual({
      unavailable: {
        name: 'harvest',
        title: 'Totally prod',
        error: { reason: 'MissingCredentials', message },
      },
      warnings: [`Istio Rollouts: ${message}`],
    });
  });

  it.each([
    ['not a url', 'is not a valid URL'],
    [
      'https://admin:hunter2@prod.example.com:6443',
      'must not carry credentials (user:password@)',
    ],
    ['file:///etc/passwd', 'must use http or https, not file:'],
  ])(
    'reports an unusable api-server %j as unavailable, without repeating it',
    (url, problem) => {
      const reading = readCatalogCluster(
        resource('odd', api(url)),
        CREDENTIALS,
      );
      expect(reading).toHaveProperty(
        'unavailable.error.message',
        `Cluster "odd" is located by the catalog (resource:default/odd), but its kubernetes.io/api-server annotation ${problem}, so no credentials can match it and the backend never contacts it.`,
      );
      expect(JSON.stringify(reading)).not.toContain('hunter2');
    },
  );

  it('ignores credential-looking annotations with a warning that never repeats their value', () => {
    const reading = readCatalogCluster(
      resource('prod', {
        'kubernetes.io/api-server': 'https://prod.example.com:6443',
        'kubernetes.io/api-server-certificate-authority': 'UFJPRC1DQQ==',
        'kubernetes.io/serviceaccount-token': 'stolen-1',
        serviceAccountToken: 'stolen-2',
        'kubernetes.io/client-key-data': 'stolen-3',
        'kubernetes.io/oidc-token-provider': 'okta',
        'example.com/secret-path': 'not ours to judge',
      }),
      CREDENTIALS,
    );
    expect(reading).toHaveProperty('cluster.serviceAccountToken', 'prod-token');
    expect((reading as { warnings: string[] }).warnings).toEqual(
      [
        'kubernetes.io/client-key-data',
        'kubernetes.io/serviceaccount-token',
        'serviceAccountToken',
      ].map(
        key =>
          `Istio Rollouts: resource:default/prod has the annotation ${key}, which is ignored: credentials of catalog-located clusters come only from istioRollouts.catalogClusters.credentials`,
      ),
    );
    expect(JSON.stringify(reading)).not.toMatch(/stolen/);
  });

  it('takes TLS trust from the credentials entry only: a Resource’s own CA and skip-tls-verify are ignored with a warning', () => {
    const reading = readCatalogCluster(
      resource('prod', {
        'kubernetes.io/api-server': 'https://prod.example.com:6443',
        'kubernetes.io/api-server-certificate-authority': 'QVRUQUNLRVItQ0E=',
        'kubernetes.io/skip-tls-verify': 'true',
      }),
      CREDENTIALS,
    );
    expect(reading).toMatchObject({
      cluster: { caData: 'UFJPRC1DQQ==', skipTLSVerify: false },
    });
    expect((reading as { warnings: string[] }).warnings).toEqual([
      "Istio Rollouts: resource:default/prod has a kubernetes.io/api-server-certificate-authority annotation, which is ignored: the API server's certificate is checked against istioRollouts.catalogClusters.credentials[0].caData or caFile (or the system's authorities)",
      'Istio Rollouts: resource:default/prod has kubernetes.io/skip-tls-verify: "true", which is ignored: TLS is verified unless istioRollouts.catalogClusters.credentials[0].skipTLSVerify is true',
    ]);
  });

  it.each([
    [
      resource('svc', api('https://prod.example.com:6443'), {
        type: 'database',
      }),
      'resource:default/svc is not a Resource of spec.type kubernetes-cluster',
    ],
    [
      resource('svc', api('https://prod.example.com:6443'), {
        kind: 'Component',
      }),
      'component:default/svc is not a Resource of spec.type kubernetes-cluster',
    ],
    [
      resource('bare', {}),
      'resource:default/bare has no kubernetes.io/api-server annotation',
    ],
  ])('is no cluster: %#', (entity, ignored) => {
    expect(readCatalogCluster(entity, CREDENTIALS)).toEqual({ ignored });
  });
});

describe('locateCatalogClusters', () => {
  it('lists readable and unavailable clusters by name', () => {
    const located = locateCatalogClusters(
      [
        resource('sim', api('http://127.0.0.1:8080')),
        resource('harvest', api('https://evil.example.net')),
        resource('prod', api('https://prod.example.com:6443')),
      ],
      { credentials: CREDENTIALS, configured: [] },
    );
    expect(located.clusters.map(c => c.name)).toEqual(['prod', 'sim']);
    expect(located.unavailable.map(c => c.name)).toEqual(['harvest']);
    expect(located.warnings).toHaveLength(1);
  });

  it('ignores a Resource named like a configured cluster: config wins', () => {
    const located = locateCatalogClusters(
      [
        resource('east', {
          'kubernetes.io/api-server': 'https://evil.example.net',
          'kubernetes.io/token': 'x',
        }),
      ],
      { credentials: CREDENTIALS, configured: ['east'] },
    );
    expect(located).toEqual({
      clusters: [],
      unavailable: [],
      warnings: [
        'Istio Rollouts: resource:default/east names cluster "east", which is configured; the configured cluster is used and the Resource ignored',
        'Istio Rollouts: resource:default/east has the annotation kubernetes.io/token, which is ignored: credentials of catalog-located clusters come only from istioRollouts.catalogClusters.credentials',
      ],
    });
  });

  it('keeps one of two Resources with one name, whatever their order: a readable one, then the first by ref', () => {
    const a = resource('prod', api('https://prod.example.com:6443'), {
      namespace: 'infra',
    });
    const b = resource('prod', api('http://127.0.0.1:8080'), {
      namespace: 'default',
    });
    const shadow = resource('prod', api('https://evil.example.net'), {
      namespace: 'aaa',
    });
    for (const entities of [
      [a, b, shadow],
      [shadow, b, a],
    ]) {
      const located = locateCatalogClusters(entities, {
        credentials: CREDENTIALS,
        configured: [],
      });
      expect(located.clusters).toEqual([
        expect.objectContaining({ name: 'prod', url: 'http://127.0.0.1:8080' }),
      ]);
      expect(located.unavailable).toEqual([]);
      expect(located.warnings).toEqual([
        'Istio Rollouts: resource:default/prod and resource:infra/prod both name cluster "prod"; resource:default/prod is used and resource:infra/prod ignored',
        'Istio Rollouts: resource:default/prod and resource:aaa/prod both name cluster "prod"; resource:default/prod is used and resource:aaa/prod ignored',
      ]);
    }
  });

  it('warns of entities that are no cluster Resources', () => {
    expect(
      locateCatalogClusters(
        [
          resource('db', api('https://prod.example.com:6443'), {
            type: 'database',
          }),
        ],
        {
          credentials: CREDENTIALS,
          configured: [],
        },
      ).warnings,
    ).toEqual([
      'Istio Rollouts: catalog Resource ignored: resource:default/db is not a Resource of spec.type kubernetes-cluster',
    ]);
  });
});
