import { mockServices } from '@backstage/backend-test-utils';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { CatalogClustersConfig } from './catalogClustersConfig';
import {
  CATALOG_CLUSTERS_TASK_ID,
  startCatalogClusters,
} from './catalogClustersTask';
import { ClusterRegistry } from './ClusterRegistry';
import type { ClusterDetails } from './types';

const EAST: ClusterDetails = {
  name: 'east',
  url: 'https://east.example.com',
  serviceAccountToken: 'east-token',
  skipTLSVerify: false,
  allowInsecureHttp: false,
  impersonate: false,
};

const CONFIG: CatalogClustersConfig = {
  refreshIntervalSeconds: 60,
  filter: { 'spec.owner': 'group:default/platform' },
  credentials: [
    {
      apiServer: 'https://prod.example.com',
      serviceAccountToken: 'prod-token',
      skipTLSVerify: false,
      allowInsecureHttp: false,
      impersonate: false,
    },
  ],
};

function resource(name: string, apiServer: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'kubernetes.io/api-server': apiServer },
    },
    spec: { type: 'kubernetes-cluster' },
  };
}

function setup(entities: Entity[] = []) {
  const catalog = catalogServiceMock.mock({
    getEntities: jest.fn(async () => ({ items: [...entities] })),
  });
  const auth = mockServices.auth();
  const logger = mockServices.logger.mock();
  const registry = new ClusterRegistry({
    configured: [EAST],
    catalog: { catalog, auth, config: CONFIG },
    logger,
  });
  return { catalog, logger, registry, entities };
}

describe('ClusterRegistry', () => {
  it('lists only the configured clusters without a catalog, and never asks one', async () => {
    const registry = new ClusterRegistry({
      configured: [EAST],
      logger: mockServices.logger.mock(),
    });
    expect(await registry.refresh()).toBe(true);
    expect(registry.list()).toEqual([EAST]);
    expect(registry.unavailable()).toEqual([]);
  });

  it('asks the catalog, as the plugin itself, for cluster Resources with an api-server annotation matching the filter', async () => {
    const { catalog, registry } = setup();
    await registry.refresh();
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: [
          {
            'spec.owner': 'group:default/platform',
            kind: 'Resource',
            'spec.type': 'kubernetes-cluster',
            'metadata.annotations.kubernetes.io/api-server':
              CATALOG_FILTER_EXISTS,
          },
        ],
      }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });

  it('lists the configured clusters first, then those the catalog locates, as the latest lookup found them', async () => {
    const { registry, entities } = setup([
      resource('prod', 'https://prod.example.com'),
    ]);
    await registry.refresh();
    expect(registry.list().map(c => c.name)).toEqual(['east', 'prod']);
    expect(registry.list()[1]).toMatchObject({
      url: 'https://prod.example.com',
      serviceAccountToken: 'prod-token',
    });

    // The Resource moves to a server without credentials, and another one comes.
    entities.splice(
      0,
      1,
      resource('prod', 'https://elsewhere.example.net'),
      resource('east', 'https://prod.example.com'),
    );
    await registry.refresh();
    expect(registry.list()).toEqual([EAST]);
    expect(registry.unavailable()).toEqual([
      {
        name: 'prod',
        error: expect.objectContaining({ reason: 'MissingCredentials' }),
      },
    ]);
  });

  it('keeps the last clusters found when the catalog cannot be read', async () => {
    const { catalog, logger, registry } = setup([
      resource('prod', 'https://prod.example.com'),
    ]);
    await registry.refresh();
    catalog.getEntities.mockRejectedValueOnce(new Error('catalog down'));
    expect(await registry.refresh()).toBe(false);
    expect(registry.list().map(c => c.name)).toEqual(['east', 'prod']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Istio Rollouts: could not look up clusters in the catalog: Error: catalog down; the 1 found before are used',
    );
  });

  it('logs a warning once while it holds, and the clusters when they change', async () => {
    const { logger, registry } = setup([
      resource('harvest', 'https://evil.example.net'),
    ]);
    await registry.refresh();
    await registry.refresh();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain(
      'Cluster "harvest" is located by the catalog (resource:default/harvest) at https://evil.example.net',
    );
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Istio Rollouts: clusters from the catalog: none; without credentials, not contacted: harvest',
    );
  });

  it('applies no lookup that ends after a later one', async () => {
    const { catalog, registry } = setup();
    let finishSlow: (items: Entity[]) => void = () => {};
    catalog.getEntities
      .mockImplementationOnce(
        () =>
          new Promise(resolve => {
            finishSlow = items => resolve({ items });
          }),
      )
      .mockResolvedValueOnce({
        items: [resource('prod', 'https://prod.example.com')],
      });
    const slow = registry.refresh();
    await registry.refresh();
    finishSlow([]);
    await slow;
    expect(registry.list().map(c => c.name)).toEqual(['east', 'prod']);
  });
});

describe('startCatalogClusters', () => {
  it('looks up once before serving, then on a local schedule', async () => {
    const { catalog, registry } = setup([
      resource('prod', 'https://prod.example.com'),
    ]);
    const scheduler = mockServices.scheduler.mock();
    await startCatalogClusters({
      registry,
      scheduler,
      refreshIntervalSeconds: 120,
      logger: mockServices.logger.mock(),
    });
    expect(registry.list().map(c => c.name)).toEqual(['east', 'prod']);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: CATALOG_CLUSTERS_TASK_ID,
      scope: 'local',
      frequency: { seconds: 120 },
      timeout: { seconds: 120 },
      initialDelay: { seconds: 120 },
      fn: expect.any(Function),
    });
    await scheduler.scheduleTask.mock.calls[0][0].fn(
      new AbortController().signal,
    );
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('starts without the catalog’s clusters when the catalog is slow, and looks again soon', async () => {
    const { catalog, registry } = setup();
    catalog.getEntities.mockImplementation(() => new Promise(() => {}));
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await startCatalogClusters({
      registry,
      scheduler,
      refreshIntervalSeconds: 60,
      logger,
      firstLookupTimeoutMs: 10,
    });
    expect(registry.list()).toEqual([EAST]);
    expect(logger.warn).toHaveBeenCalledWith(
      "Istio Rollouts: the catalog did not answer the clusters' lookup within 10 ms; starting without the clusters it locates",
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ initialDelay: { seconds: 5 } }),
    );
  });
});
