import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseManifests } from '@internal/kube-sim';
import {
  buildRollouts,
  ClusterObjects,
  HistoryEvent,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryOutcome, HistoryStore } from '../history/HistoryStore';
import type { RolloutsReader } from '../rollouts';
import { RolloutActionsService } from './RolloutActionsService';
import type { RolloutWriter, WriteResult } from './RolloutWriter';

const REPO = path.resolve(__dirname, '../../../..');
const credentials = mockCredentials.user('user:default/guest');
const cluster = {
  name: 'demo-east',
  url: 'https://east',
  skipTLSVerify: false,
  allowInsecureHttp: true,
  impersonate: false,
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
  begin?: HistoryStore['begin'];
  finish?: HistoryStore['finish'];
  readOne?: RolloutsReader['readOne'];
  build?: RolloutsReader['build'];
  decide?: (permission: string) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  impersonate?: boolean;
}) {
  const objects = reviewsObjects();
  const read = { objects, rollouts: buildRollouts(objects) };
  const readOne = jest
    .fn()
    .mockResolvedValueOnce(read)
    .mockImplementation(options.readOne ?? (async () => read));
  const reader = {
    findCluster: () => ({ ...cluster, impersonate: !!options.impersonate }),
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
  const recorded = (event: object, status: string) => ({
    ...event,
    id: '1',
    createdAt: '2026-11-29T12:00:00.000Z',
    status,
  });
  let pending: object = {};
  const history = {
    begin: jest.fn(
      options.begin ??
        (async (event: object) => {
          pending = event;
          return recorded(event, 'pending');
        }),
    ),
    finish: jest.fn<
      Promise<HistoryEvent | undefined>,
      [string, HistoryOutcome, { warning?: string }?]
    >(
      options.finish ??
        (async (
          _id: string,
          status: HistoryOutcome,
          o?: { warning?: string },
        ) => recorded({ ...pending, ...o }, status) as unknown as HistoryEvent),
    ),
    stableSubsetBefore: jest.fn(async () => undefined),
  };
  const decide: (name: string) => AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    options.decide ?? (() => AuthorizeResult.ALLOW);
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({ result: decide(r.permission.name) })),
  });
  const service = new RolloutActionsService({
    catalog: catalogServiceMock({ entities: [reviews] }),
    permissions,
    reader,
    writer: writer as unknown as RolloutWriter,
    history: history as unknown as HistoryStore,
    logger: mockServices.logger.mock(),
    userInfo: {
      getUserInfo: async () => ({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: [
          'user:default/guest',
          'group:default/team-bookinfo',
        ],
      }),
    },
  });
  return { service, writer, history, reader, objects, permissions };
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
      // The cluster is not set to impersonate.
      { impersonate: undefined },
    );
    // The intent is recorded before the write, the outcome after it.
    expect(history.begin).toHaveBeenCalledWith(
      expect.objectContaining({
        actor: 'user:default/guest',
        reason: 'flat error rate',
        route: { kind: 'http', index: 0, name: 'reviews-route' },
        objects: [
          { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' },
        ],
        resourceVersion: '41',
      }),
    );
    expect(history.begin.mock.invocationCallOrder[0]).toBeLessThan(
      writer.write.mock.invocationCallOrder[0],
    );
    expect(history.finish).toHaveBeenCalledWith('1', 'applied', {});
    expect(answer.event).toMatchObject({ id: '1', status: 'applied' });
    expect(answer.rollout?.allowedActions).toEqual([
      'setWeights',
      'promote',
      'rollback',
      'switch',
      'startCanary',
      'finish',
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
    expect(history.finish).toHaveBeenCalledWith('1', 'applied', {
      warning: note,
    });
  });

  it('writes nothing when the intent cannot be recorded first (503)', async () => {
    const { service, writer } = setup({
      begin: async () => {
        throw new Error('database is locked');
      },
    });
    await expect(act(service)).rejects.toThrow(
      'The change was not applied: it could not be recorded in the history first (database is locked). Try again.',
    );
    expect(writer.write).not.toHaveBeenCalled();
  });

  it('still answers an applied change when its outcome cannot be recorded, with a warning', async () => {
    const { service } = setup({
      finish: async () => {
        throw new Error('database is locked');
      },
    });
    const answer = await act(service);
    expect(answer.changed).toBe(true);
    // The pending record stands; the next read resolves it.
    expect(answer.event?.status).toBe('pending');
    expect(answer.rollout).toBeDefined();
    expect(answer.warning).toBe(
      'The change was applied, but recording its outcome in the history failed; the next read of the rollout records it.',
    );
  });

  it('records a refused write as refused, and answers the refusal', async () => {
    const { service, writer, history } = setup({});
    const refusal = Object.assign(new Error('changed since'), {
      name: 'ConflictError',
    });
    writer.write.mockImplementationOnce(async () => {
      throw refusal;
    });
    await expect(act(service)).rejects.toBe(refusal);
    // Not an error the writer classified: whether it landed is unknown.
    expect(history.finish).toHaveBeenCalledWith('1', 'unknown', {});
  });

  it('calls setWeights that sends everything to the canary a promotion: 403 without .traffic.promote', async () => {
    const { service, writer } = setup({
      decide: name =>
        name === 'istio-rollouts.traffic.promote'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const promote = service.act(
      { kind: 'component', namespace: 'default', name: 'reviews' },
      {
        rolloutId: 'demo-east/bookinfo/reviews',
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights: { v1: 0, v2: 100 },
        resourceVersion: '41',
        dryRun: true,
      },
      credentials,
    );
    await expect(promote).rejects.toThrow(
      'This change sends all of the route\'s traffic to "v2", which is not its stable subset: that is a promotion, and you are not allowed istio-rollouts.traffic.promote on component:default/reviews.',
    );
    expect(writer.write).not.toHaveBeenCalled();
    // Moving weights is still an update.
    await expect(act(service)).resolves.toMatchObject({ changed: true });
  });

  it('writes as the user and their groups where the cluster impersonates', async () => {
    const { service, writer } = setup({ impersonate: true });
    await act(service);
    expect(writer.write).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      {
        impersonate: {
          user: 'user:default/guest',
          groups: ['group:default/team-bookinfo'],
        },
      },
    );
  });

  it('needs istio-rollouts.traffic.read too, for the answer it gives', async () => {
    const { service, writer } = setup({
      decide: name =>
        name === 'istio-rollouts.traffic.read'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await expect(act(service)).rejects.toThrow(
      'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
    );
    expect(writer.write).not.toHaveBeenCalled();
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
      expect.objectContaining({
        labelSelector: 'backstage.io/kubernetes-id=reviews',
      }),
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
