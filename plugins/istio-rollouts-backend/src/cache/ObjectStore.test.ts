import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import { ObjectStore } from './ObjectStore';

function vs(name: string, resourceVersion: string, namespace = 'bookinfo') {
  return {
    kind: 'VirtualService',
    metadata: { name, namespace, resourceVersion },
  } as KubeObject;
}

const names = (store: ObjectStore) =>
  store
    .items()
    .map(
      o =>
        `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`,
    );

describe('ObjectStore', () => {
  let now: number;
  let store: ObjectStore;
  beforeEach(() => {
    now = 0;
    store = new ObjectStore(30_000, () => now);
  });

  it('holds exactly the last list, ordered by namespace and name', () => {
    store.replace([vs('b', '1'), vs('a', '2', 'other'), vs('a', '3')]);
    expect(names(store)).toEqual(['bookinfo/a@3', 'bookinfo/b@1', 'other/a@2']);
    store.replace([vs('c', '4')]);
    expect(names(store)).toEqual(['bookinfo/c@4']);
  });

  it('answers a new array each time, so callers cannot change what it holds', () => {
    store.replace([vs('a', '1')]);
    store.items().pop();
    expect(names(store)).toEqual(['bookinfo/a@1']);
  });

  it('applies events, and says when one was hidden behind a recorded write', () => {
    store.replace([vs('a', '1')]);
    expect(store.apply('ADDED', vs('b', '2'))).toBe(true);
    expect(store.recordWrite(vs('a', '5'))).toBe(true);
    expect(store.apply('MODIFIED', vs('a', '4'))).toBe(false);
    expect(names(store)).toEqual(['bookinfo/a@5', 'bookinfo/b@2']);
    expect(store.apply('MODIFIED', vs('a', '5'))).toBe(true);
    expect(store.apply('DELETED', vs('b', '6'))).toBe(true);
    expect(names(store)).toEqual(['bookinfo/a@5']);
  });

  it('refuses to record a write of a version it has seen, also of a deleted object', () => {
    store.replace([vs('a', '1')]);
    store.apply('DELETED', vs('a', '2'));
    expect(store.recordWrite(vs('a', '2'))).toBe(false);
    expect(store.recordWrite(vs('a', '1'))).toBe(false);
    expect(names(store)).toEqual([]);
  });

  it('shows the latest hidden event once the pin expired', () => {
    store.replace([vs('a', '1')]);
    store.recordWrite(vs('a', '5'));
    store.apply('MODIFIED', vs('a', '3'));
    store.apply('MODIFIED', vs('a', '4'));
    now = 30_000;
    expect(names(store)).toEqual(['bookinfo/a@4']);
  });

  it('forgets the versions of the oldest deleted objects beyond 64', () => {
    store.replace([]);
    for (let i = 0; i < 65; i++) store.apply('DELETED', vs(`d${i}`, `${i}`));
    // d0's versions were forgotten: a write at that version is taken again.
    expect(store.recordWrite(vs('d0', '0'))).toBe(true);
    expect(store.recordWrite(vs('d1', '1'))).toBe(false);
  });

  it('forgets everything when cleared', () => {
    store.replace([vs('a', '1')]);
    store.clear();
    expect(store.items()).toEqual([]);
    expect(store.recordWrite(vs('a', '1'))).toBe(true);
  });
});
