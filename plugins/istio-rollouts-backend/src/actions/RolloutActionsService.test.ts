import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseManifests } from '@internal/kube-sim';
import {
  buildRollouts,
  ClusterObjects,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryStore } from '../history/HistoryStore';
import type { RolloutsReader } from '../rollouts';
import { RolloutActionsService } from './RolloutActionsService';
import type { RolloutWriter, WriteResult } from './RolloutWriter';

const REPO = path.resolve(__dirname, '../../../..');
const credentials = mockCredentials.user('user:default/guest');
const cluster = {
  name: 'demo-east',
  url: 'https://east',
  skipTLSVerify: false,
};

const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'reviews' },
  },
  spec: { owner: 'group:default/team-bookinfo' },
};

/** The demo's reviews objects in demo-east, as a cluster read answers them. */
function reviewsObjects(): ClusterObjects {
  const objects = parseManifests(
    fs.readFileSync(
      path.join(REPO, 'examples/clusters/demo-east/reviews.yaml'),
      'utf8',
    ),
  ) as unknown as KubeObject[];
  const of = (kind: string) =>
    objects
      .filter(o => o.kind === kind)
      .map(o => ({
        ...o,
        metadata: { ...o.metadata, resourceVersion: '41' },
      }));
  return {
    cluster: 'demo-east',
    istioVersion: 'v1',
    virtualServices: of('VirtualService'),
    destinationRules: of('DestinationRule'),
    deployments: of('Deployment'),
    services: of('Service'),
    namespaces: [],
  };
}

function setup(options: {
  add?: HistoryStore['add'];
  readOne?: RolloutsReader['readOne'];
  build?: RolloutsReader['build'];
}) {
  const objects = reviewsObjects();
  const read = { objects, rollouts: buildRollouts(objects) };
  const readOne = jest
    .fn()
    .mockResolvedValueOnce(read)
    .mockImplementation(options.readOne ?? (async () => read));
  const reader = {
    findCluster: () => cluster,
    listClusters: () => [],
    readOne,
    build: jest.fn(options.build ?? buildRollouts),
    recordWrite: jest.fn(),
  } as unknown as RolloutsReader;
  const writer = {
    write: jest.fn(
      async (): Promise<WriteResult> => ({ warnings: [], stored: [] }),
    ),
  };
  const history = {
    add:
      options.add ??
      jest.fn(async event => ({
        ...event,
        id: '1',
        createdAt: '2026-11-29T12:00:00.000Z',
      })),
    stableSubsetBefore: jest.fn(async () => undefined),
  };
  const service = new RolloutActionsService({
    catalog: catalogServiceMock({ entities: [reviews] }),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
    reader,
    writer: writer as unknown as RolloutWriter,
    history: history as unknown as HistoryStore,
    logger: mockServices.logger.mock(),
  });
  return { service, writer, history, reader, objects };
}

const act = (service: RolloutActionsService) =>
  service.act(
    { kind: 'component', namespace: 'default', name: 'reviews' },
    {
      rolloutId: 'demo-east/bookinfo/reviews',
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 80, v2: 20 },
      resourceVersion: '41',
      reason: '  flat error rate  ',
    },
    credentials,
  );

describe('RolloutActionsService', () => {
  it('writes the plan and records the caller as the actor, with the reason trimmed', async () => {
    const { service, writer, history } = setup({});
    const answer = await act(service);
    expect(writer.write).toHaveBeenCalledWith(
      {
        cluster,
        istioVersion: 'v1',
        resourceVersion: '41',
        // The objects the plan was made from, to read back a lost answer.
        objects: expect.objectContaining({
          virtualServices: [expect.anything()],
        }),
      },
      expect.objectContaining({ action: 'setWeights', changed: true }),
    );
    expect(history.add).toHaveBeenCalledWith(
      expect.objectContaining({
        actor: 'user:default/guest',
        reason: 'flat error rate',
        route: { kind: 'http', index: 0, name: 'reviews-route' },
      }),
    );
    expect(answer.event?.id).toBe('1');
    expect(answer.rollout?.allowedActions).toEqual([
      'setWeights',
      'promote',
      'rollback',
      'switch',
      'startCanary',
    ]);
    expect(answer.warning).toBeUndefined();
  });

  it("records and answers the writer's note of a lost answer as the warning", async () => {
    const { service, writer, history } = setup({});
    const note =
      'VirtualService bookinfo/reviews in cluster "demo-east" was changed, but the cluster\'s answer did not arrive (…); reading it back showed the change in place.';
    writer.write.mockResolvedValueOnce({ warnings: [note], stored: [] });
    const answer = await act(service);
    expect(answer.warning).toBe(note);
    expect(history.add).toHaveBeenCalledWith(
      expect.objectContaining({ warning: note }),
    );
  });

  it('still answers an applied change when the history cannot record it, with a warning', async () => {
    const { service } = setup({
      add: async () => {
        throw new Error('database is locked');
      },
    });
    const answer = await act(service);
    expect(answer.changed).toBe(true);
    expect(answer.event).toBeUndefined();
    expect(answer.rollout).toBeDefined();
    expect(answer.warning).toBe(
      'The change was applied, but recording it in the history failed: database is locked.',
    );
  });

  it('answers the rollout as the patches stored it, without reading the cluster again', async () => {
    const { service, writer, reader, objects } = setup({});
    const [vs] = objects.virtualServices;
    const stored = JSON.parse(JSON.stringify(vs)) as KubeObject & {
      spec: { http: Array<{ route: Array<{ weight?: number }> }> };
    };
    stored.metadata!.resourceVersion = '42';
    stored.spec.http[0].route[0].weight = 80;
    stored.spec.http[0].route[1].weight = 20;
    writer.write.mockResolvedValueOnce({ warnings: [], stored: [stored] });
    const answer = await act(service);
    expect(answer.rollout?.resourceVersion).toBe('42');
    expect(
      answer.rollout?.routes[0].destinations.map(d => [d.subset, d.weight]),
    ).toEqual([
      ['v1', 80],
      ['v2', 20],
    ]);
    // One read, for the plan; what the patch stored goes to the watch cache.
    expect(reader.readOne).toHaveBeenCalledTimes(1);
    expect(reader.recordWrite).toHaveBeenCalledWith(
      cluster,
      { labelSelector: 'backstage.io/kubernetes-id=reviews' },
      [stored],
    );
  });

  it('still answers an applied change when building it back fails, with a warning', async () => {
    const { service } = setup({
      build: () => {
        throw new Error('unreadable VirtualService');
      },
    });
    const answer = await act(service);
    expect(answer.changed).toBe(true);
    expect(answer.event).toBeDefined();
    expect(answer.rollout).toBeUndefined();
    expect(answer.warning).toBe(
      'The change was applied, but reading the rollout back failed (unreadable VirtualService); reload to see it.',
    );
  });
});
