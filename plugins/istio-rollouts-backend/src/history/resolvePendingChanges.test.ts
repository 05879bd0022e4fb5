import { mockServices } from '@backstage/backend-test-utils';
import type {
  ClusterObjects,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import type { UnresolvedChange } from './HistoryStore';
import { resolvePendingChanges } from './resolvePendingChanges';

const now = new Date('2026-12-07T12:00:00Z');
const route = (v1: number, v2: number) => ({
  name: 'reviews-route',
  route: [
    { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
  ],
});
const vs = (resourceVersion: string, v1: number, v2: number): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo', resourceVersion },
  spec: { http: [route(v1, v2)] },
});
const read = (object: KubeObject): ClusterObjects => ({
  cluster: 'demo-east',
  istioVersion: 'v1',
  virtualServices: [object],
  destinationRules: [],
  deployments: [],
  services: [],
  namespaces: [],
});
const change = (overrides: Partial<UnresolvedChange>): UnresolvedChange => ({
  id: '7',
  entityRef: 'component:default/reviews',
  rolloutId: 'demo-east/bookinfo/reviews',
  status: 'pending',
  route: { kind: 'http', index: 0 },
  createdAt: new Date(now.getTime() - 1000).toISOString(),
  resourceVersion: '41',
  objects: [{ kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }],
  before: route(50, 50),
  after: route(80, 20),
  ...overrides,
});

async function resolve(
  pending: UnresolvedChange,
  objects: ClusterObjects[],
  unresolved?: () => Promise<UnresolvedChange[]>,
) {
  const finish = jest.fn(async () => undefined);
  await resolvePendingChanges({
    history: { unresolved: unresolved ?? (async () => [pending]), finish },
    objects,
    rolloutIds: ['demo-east/bookinfo/reviews'],
    logger: mockServices.logger.mock(),
    now,
    graceMs: 60_000,
  });
  return finish.mock.calls;
}

describe('resolvePendingChanges', () => {
  it('records a change whose PATCH landed before the backend stopped as applied', async () => {
    expect(await resolve(change({}), [read(vs('42', 80, 20))])).toEqual([
      ['7', 'applied'],
    ]);
  });

  it('records an old change the cluster never saw as failed', async () => {
    const old = change({
      createdAt: new Date(now.getTime() - 120_000).toISOString(),
    });
    expect(await resolve(old, [read(vs('41', 50, 50))])).toEqual([
      ['7', 'failed', expect.objectContaining({ warning: expect.any(String) })],
    ]);
  });

  it('leaves a young change alone: its PATCH may still be on its way', async () => {
    expect(await resolve(change({}), [read(vs('41', 50, 50))])).toEqual([]);
  });

  it('calls an old change that cannot be told apart unknown, once', async () => {
    const old = change({
      createdAt: new Date(now.getTime() - 120_000).toISOString(),
    });
    expect(await resolve(old, [read(vs('45', 30, 70))])).toEqual([
      [
        '7',
        'unknown',
        expect.objectContaining({ warning: expect.any(String) }),
      ],
    ]);
    expect(
      await resolve({ ...old, status: 'unknown' }, [read(vs('45', 30, 70))]),
    ).toEqual([]);
  });

  it('waits for a read of the change’s own cluster', async () => {
    expect(await resolve(change({}), [])).toEqual([]);
  });

  it('never fails the read it rides on', async () => {
    await expect(
      resolve(change({}), [], async () => {
        throw new Error('database is locked');
      }),
    ).resolves.toEqual([]);
  });
});
