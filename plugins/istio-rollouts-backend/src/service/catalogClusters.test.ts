/*
 * Clusters located in the catalog: `kind: Resource`, `spec.type: kubernetes-cluster` entities with the
 * Kubernetes plugin's `kubernetes.io/api-server`, read through the plugin over real HTTP (kube-sim). A Resource
 * says where a cluster is; the token comes from the credentials entry for exactly that URL, so a Resource
 * pointing anywhere else (here: a server that records what it is sent) gets no request at all.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubeSim } from '@internal/kube-sim';
import type { Knex } from 'knex';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CATALOG_CLUSTERS_TASK_ID } from '../clusters';
import { istioRolloutsPlugin } from '../plugin';
import {
  configCluster,
  demoEntities,
  demoPermissions,
  getMetrics,
  getRollouts,
  sqliteKnex,
  startDemoCluster,
  TOKEN,
} from '../__testUtils__/demoBackend';

/** A loopback HTTP server that records every request and answers `answer`. */
async function recordingServer(answer: object) {
  const requests: Array<{ url?: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url, authorization: req.headers.authorization });
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function clusterResource(
  name: string,
  apiServer: string,
  options: { namespace?: string; annotations?: Record<string, string> } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      annotations: {
        'kubernetes.io/api-server': apiServer,
        'kubernetes.io/auth-provider': 'serviceAccount',
        ...options.annotations,
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  };
}

describe('clusters located in the catalog', () => {
  let east: KubeSim;
  let west: KubeSim;
  /** Where catalog authors point Resources the operator gave no credentials for. */
  let harvester: Awaited<ReturnType<typeof recordingServer>>;
  let prometheus: Awaited<ReturnType<typeof recordingServer>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let knex: Knex;
  const scheduler = mockServices.scheduler();
  /** The catalog's entities: Resources may be added while the backend runs. */
  const entities = demoEntities();

  beforeAll(async () => {
    [east, west, harvester, prometheus] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
      recordingServer({ kind: 'Status', code: 401 }),
      recordingServer({
        status: 'success',
        data: { resultType: 'matrix', result: [] },
      }),
    ]);
    entities.push(
      clusterResource('demo-east', `${east.url}/`, {
        annotations: {
          // Catalog-written credentials are never used: kube-sim would refuse this one.
          'kubernetes.io/service-account-token': 'catalog-written-token',
        },
      }),
      clusterResource('stray', harvester.url),
      // Named like a configured cluster: config wins.
      clusterResource('demo-west', harvester.url, { namespace: 'infra' }),
    );
    knex = sqliteKnex();
    backend = await startTestBackend({
      features: [
        istioRolloutsPlugin,
        mockServices.rootConfig.factory({
          data: {
            istioRollouts: {
              clusterTimeoutMs: 2000,
              cache: { watch: false },
              canaryAnalysis: { cacheSeconds: 0 },
              clusters: [configCluster('demo-west', west.url)],
              catalogClusters: {
                credentials: [
                  {
                    apiServer: east.url,
                    serviceAccountToken: TOKEN,
                    // kube-sim serves plain http on loopback.
                    allowInsecureHttp: true,
                    prometheus: { url: prometheus.url, timeoutMs: 2000 },
                  },
                ],
              },
            },
          },
        }),
        // A catalog that sees Resources added while the backend runs.
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            Object.assign(catalogServiceMock({ entities }), {
              getEntities: (
                ...args: Parameters<
                  ReturnType<typeof catalogServiceMock>['getEntities']
                >
              ) => catalogServiceMock({ entities }).getEntities(...args),
            }),
        }),
        mockServices.database.factory({ knex }),
        demoPermissions(entities).factory,
        // This scheduler, so that the test can run the clusters' lookup.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
    await Promise.all([
      east?.close(),
      west?.close(),
      harvester?.close(),
      prometheus?.close(),
    ]);
  });

  it('reads an entity’s rollouts from a catalog-located cluster, with the token of its credentials entry', async () => {
    east.requests.clear();
    const res = await getRollouts(backend, 'reviews');
    expect(res.status).toBe(200);
    expect(res.body.clusters.slice(0, 2)).toEqual([
      { name: 'demo-west', status: 'ok' },
      { name: 'demo-east', status: 'ok' },
    ]);
    expect(res.body.rollouts.map((r: { id: string }) => r.id)).toEqual([
      'demo-west/bookinfo/reviews',
      'demo-east/bookinfo/reviews',
    ]);
    // kube-sim answers 401 to any other token than the configured one.
    expect(east.requests.list().length).toBeGreaterThan(0);
    expect(east.requests.list().every(r => r.status < 400)).toBe(true);
  });

  it('lists a Resource whose API server has no credentials entry as unavailable, and never contacts it', async () => {
    const res = await getRollouts(backend, 'reviews');
    expect(res.body.clusters).toContainEqual({
      name: 'stray',
      status: 'error',
      error: {
        reason: 'MissingCredentials',
        message: `Cluster "stray" is located by the catalog (resource:default/stray) at ${harvester.url}, for which istioRollouts.catalogClusters.credentials has no entry, so the backend never contacts it. To read it, add an entry with apiServer: ${harvester.url} and the cluster's serviceAccountToken.`,
      },
    });
    await getMetrics(backend, 'reviews');
    expect(harvester.requests).toEqual([]);
  });

  it('ignores a Resource named like a configured cluster: config wins', async () => {
    west.requests.clear();
    const res = await getRollouts(backend, 'reviews');
    expect(
      res.body.clusters.filter((c: { name: string }) => c.name === 'demo-west'),
    ).toEqual([{ name: 'demo-west', status: 'ok' }]);
    expect(west.requests.list().length).toBeGreaterThan(0);
    expect(harvester.requests).toEqual([]);
  });

  it('asks the Prometheus of the credentials entry for the catalog-located cluster’s canary health', async () => {
    prometheus.requests.length = 0;
    const res = await getMetrics(backend, 'reviews');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      { name: 'demo-west', status: 'notConfigured' },
      { name: 'demo-east', status: 'ok' },
    ]);
    expect(prometheus.requests.length).toBeGreaterThan(0);
    expect(
      prometheus.requests.every(r => r.url === '/api/v1/query_range'),
    ).toBe(true);
  });

  it('reads a Resource registered while the backend runs after the next lookup', async () => {
    entities.push(clusterResource('east-again', east.url));
    expect(
      (await getRollouts(backend, 'reviews')).body.clusters.map(
        (c: { name: string }) => c.name,
      ),
    ).not.toContain('east-again');

    await scheduler.triggerTask(CATALOG_CLUSTERS_TASK_ID);
    const res = await getRollouts(backend, 'reviews');
    expect(res.body.clusters).toContainEqual({
      name: 'east-again',
      status: 'ok',
    });
    expect(res.body.rollouts.map((r: { id: string }) => r.id)).toContain(
      'east-again/bookinfo/reviews',
    );
    expect(harvester.requests).toEqual([]);
  });
});
