import type {
  ClusterObjects,
  KubeObject,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import { LastKnownRollouts } from './LastKnownRollouts';

function objects(...virtualServices: KubeObject[]): ClusterObjects {
  return {
    cluster: 'east',
    istioVersion: 'v1',
    virtualServices,
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [],
  };
}

const vs = (rv: string): KubeObject => ({
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo', resourceVersion: rv },
});

/** A stand-in read model: one rollout per VirtualService, at its resourceVersion. */
const build = jest.fn((o: ClusterObjects) =>
  o.virtualServices.map(
    v =>
      ({
        id: `east/bookinfo/${v.metadata?.name}`,
        resourceVersion: v.metadata?.resourceVersion,
      } as RolloutReadModel),
  ),
);

describe('LastKnownRollouts', () => {
  let now: number;
  const memory = (options: { maxAgeMs?: number; maxEntries?: number } = {}) =>
    new LastKnownRollouts({ ...options, now: () => now });

  beforeEach(() => {
    now = 1_000_000;
    build.mockClear();
  });

  it('builds again only when an object is neither the very one of the last build nor the same version of it', () => {
    const m = memory();
    const v1 = vs('1');
    const first = m.remember('k', objects(v1), build);
    expect(m.remember('k', objects(v1), build)).toBe(first);
    // A relist's new copy of the same version: nothing to build.
    expect(m.remember('k', objects(vs('1')), build)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    m.remember('k', objects(vs('2')), build);
    expect(build).toHaveBeenCalledTimes(2);
    // Another object at the same resourceVersion is another input.
    const other = vs('2');
    other.metadata!.name = 'ratings';
    m.remember('k', objects(other), build);
    expect(build).toHaveBeenCalledTimes(3);
  });

  it('compares objects without a resourceVersion by identity', () => {
    const m = memory();
    const bare = (): KubeObject => ({
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
    });
    const v = bare();
    m.remember('k', objects(v), build);
    m.remember('k', objects(v), build);
    expect(build).toHaveBeenCalledTimes(1);
    m.remember('k', objects(bare()), build);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('recalls the last read with the time of the latest answer, even when the read model was reused', () => {
    const m = memory();
    const v1 = vs('1');
    m.remember('k', objects(v1), build);
    now += 30_000;
    m.remember('k', objects(v1), build);
    now += 40_000;
    expect(m.recall('k')).toEqual({
      rollouts: [{ id: 'east/bookinfo/reviews', resourceVersion: '1' }],
      seenAt: 1_030_000,
    });
    expect(m.recall('other')).toBeUndefined();
  });

  it('forgets a read older than its max age, and recalls nothing when the max age is 0', () => {
    const m = memory({ maxAgeMs: 60_000 });
    m.remember('k', objects(vs('1')), build);
    now += 60_000;
    expect(m.recall('k')).toBeDefined();
    now += 1;
    expect(m.recall('k')).toBeUndefined();
    // Forgotten for good, not just hidden.
    now -= 1;
    expect(m.recall('k')).toBeUndefined();

    const off = memory({ maxAgeMs: 0 });
    off.remember('k', objects(vs('1')), build);
    expect(off.recall('k')).toBeUndefined();
  });

  it('forgets on request', () => {
    const m = memory();
    m.remember('k', objects(vs('1')), build);
    m.forget('k');
    expect(m.recall('k')).toBeUndefined();
  });

  it('keeps at most maxEntries reads, dropping the least recently read', () => {
    const m = memory({ maxEntries: 2 });
    m.remember('a', objects(vs('1')), build);
    m.remember('b', objects(vs('1')), build);
    m.remember('a', objects(vs('1')), build);
    m.remember('c', objects(vs('1')), build);
    expect(m.recall('a')).toBeDefined();
    expect(m.recall('b')).toBeUndefined();
    expect(m.recall('c')).toBeDefined();
  });
});
