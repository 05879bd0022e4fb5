import { findResource } from './resources';
import { KubeApiError } from './status';
import { Store, StoreEvent } from './store';

const VS = findResource('networking.istio.io', 'v1', 'virtualservices')!;
const NS = findResource('', 'v1', 'namespaces')!;

function vs(name: string, weight = 100, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, namespace: 'bookinfo', ...extra },
    spec: {
      hosts: [name],
      http: [{ route: [{ destination: { host: name }, weight }] }],
    },
  };
}

function code(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as KubeApiError).code;
  }
  return undefined;
}

describe('Store', () => {
  it('assigns server-managed metadata and one monotonic resourceVersion', () => {
    const store = new Store();
    const a = store.create(VS, vs('a'));
    const ns = store.create(NS, { metadata: { name: 'bookinfo' } });
    expect(a.metadata).toMatchObject({ resourceVersion: '1', generation: 1 });
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(a.apiVersion).toBe('networking.istio.io/v1');
    expect(ns.metadata.resourceVersion).toBe('2');
    expect(ns.metadata.generation).toBeUndefined();
    expect(store.resourceVersion).toBe('2');
  });

  it('rejects duplicates with 409 AlreadyExists', () => {
    const store = new Store();
    store.create(VS, vs('a'));
    expect(code(() => store.create(VS, vs('a')))).toBe(409);
  });

  it('bumps generation only when the spec changes', () => {
    const store = new Store();
    const a = store.create(VS, vs('a'));
    const labelled = store.update(VS, {
      ...a,
      metadata: { ...a.metadata, labels: { x: 'y' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(a.metadata.resourceVersion),
    );
    const respec = store.update(VS, {
      ...vs('a', 50),
      metadata: { ...labelled.metadata },
    });
    expect(respec.metadata.generation).toBe(2);
    expect(respec.metadata.uid).toBe(a.metadata.uid);
    expect(respec.metadata.creationTimestamp).toBe(
      a.metadata.creationTimestamp,
    );
  });

  it('refuses a stale resourceVersion with 409 and allows an unconditional update', () => {
    const store = new Store();
    const a = store.create(VS, vs('a'));
    store.update(VS, { ...vs('a', 10), metadata: { ...a.metadata } });
    expect(
      code(() =>
        store.update(VS, { ...vs('a', 20), metadata: { ...a.metadata } }),
      ),
    ).toBe(409);
    const { resourceVersion: _, ...meta } = a.metadata;
    expect(
      store.update(VS, { ...vs('a', 30), metadata: meta }).metadata
        .resourceVersion,
    ).toBe('3');
  });

  it('does not write or emit when an update changes nothing', () => {
    const store = new Store();
    const a = store.create(VS, vs('a'));
    const events: StoreEvent[] = [];
    store.subscribe(e => events.push(e));
    expect(store.update(VS, a).metadata.resourceVersion).toBe(
      a.metadata.resourceVersion,
    );
    expect(events).toHaveLength(0);
  });

  it('dry runs change nothing', () => {
    const store = new Store();
    const created = store.create(VS, vs('a'), { dryRun: true });
    expect(created.metadata.resourceVersion).toBeUndefined();
    expect(store.get(VS, 'bookinfo', 'a')).toBeUndefined();
    expect(store.resourceVersion).toBe('0');
  });

  it('deletes with preconditions and 404s on missing objects', () => {
    const store = new Store();
    const a = store.create(VS, vs('a'));
    expect(
      code(() => store.delete(VS, 'bookinfo', 'a', { resourceVersion: '99' })),
    ).toBe(409);
    expect(
      code(() => store.delete(VS, 'bookinfo', 'a', { uid: 'other' })),
    ).toBe(409);
    const gone = store.delete(VS, 'bookinfo', 'a', { uid: a.metadata.uid });
    expect(gone.metadata.resourceVersion).toBe('2');
    expect(code(() => store.delete(VS, 'bookinfo', 'a'))).toBe(404);
    expect(code(() => store.update(VS, vs('a')))).toBe(404);
  });

  it('lists in namespace/name order, optionally by namespace', () => {
    const store = new Store();
    store.create(VS, vs('b'));
    store.create(VS, { ...vs('a'), metadata: { name: 'a', namespace: 'z' } });
    store.create(VS, vs('a'));
    expect(
      store.list(VS).map(o => `${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['bookinfo/a', 'bookinfo/b', 'z/a']);
    expect(store.list(VS, 'z')).toHaveLength(1);
  });

  it('lists only what a filter accepts, in the same order', () => {
    const store = new Store();
    for (const [ns, name] of [
      ['z', 'c'],
      ['bookinfo', 'd'],
      ['z', 'a'],
      ['bookinfo', 'b'],
      ['bookinfo', 'a'],
    ]) {
      store.create(VS, { ...vs(name), metadata: { name, namespace: ns } });
    }
    const notB = (o: { metadata: { name?: string } }) =>
      o.metadata.name !== 'b';
    expect(
      store
        .list(VS, undefined, notB)
        .map(o => `${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['bookinfo/a', 'bookinfo/d', 'z/a', 'z/c']);
    expect(store.list(VS, 'z', o => o.metadata.name === 'c')).toHaveLength(1);
    expect(store.list(VS, 'bookinfo', () => false)).toEqual([]);
  });

  it('tells whether an object exists', () => {
    const store = new Store();
    store.create(VS, vs('a'));
    expect(store.has(VS, 'bookinfo', 'a')).toBe(true);
    expect(store.has(VS, 'other', 'a')).toBe(false);
    expect(store.has(NS, undefined, 'bookinfo')).toBe(false);
  });

  it("upserts without keeping or changing the caller's object", () => {
    const store = new Store();
    store.upsert(VS, vs('a'));
    const labels = { x: '1' };
    const input = vs('a', 7, { labels });
    const stored = store.upsert(VS, input);
    expect(stored.metadata.resourceVersion).toBe('2');
    expect(input.metadata).not.toHaveProperty('resourceVersion');
    labels.x = 'changed';
    input.spec.http[0].route[0].weight = 1;
    const again = store.get(VS, 'bookinfo', 'a')!;
    expect(again.metadata.labels).toEqual({ x: '1' });
    expect(again.spec).toEqual(vs('a', 7).spec);
  });

  it('gets copies, so callers cannot mutate stored objects', () => {
    const store = new Store();
    store.create(VS, vs('a'));
    store.get(VS, 'bookinfo', 'a')!.metadata.name = 'mutated';
    expect(store.get(VS, 'bookinfo', 'a')!.metadata.name).toBe('a');
  });

  it('keeps a bounded event window and reports when a version fell out of it', () => {
    const store = new Store({ watchWindow: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) store.create(VS, vs(n));
    // Events 3..5 are retained; resuming needs every event after the given version.
    expect(store.oldestResumableVersion).toBe(2);
    expect(store.eventsSince(1)).toBeUndefined();
    expect(store.eventsSince(2)!.map(e => e.resourceVersion)).toEqual([
      3, 4, 5,
    ]);
    expect(store.eventsSince(4)!.map(e => e.object.metadata.name)).toEqual([
      'e',
    ]);
    expect(store.eventsSince(5)).toEqual([]);
  });

  it('emits ADDED, MODIFIED and DELETED with the previous object', () => {
    const store = new Store();
    const events: StoreEvent[] = [];
    const stop = store.subscribe(e => events.push(e));
    const a = store.create(VS, vs('a'));
    store.update(VS, { ...vs('a', 5), metadata: a.metadata });
    store.delete(VS, 'bookinfo', 'a');
    stop();
    store.create(VS, vs('b'));
    expect(events.map(e => [e.type, e.resourceVersion])).toEqual([
      ['ADDED', 1],
      ['MODIFIED', 2],
      ['DELETED', 3],
    ]);
    expect(events[1].previous?.metadata.resourceVersion).toBe('1');
  });

  it('upserts without preconditions', () => {
    const store = new Store();
    store.upsert(VS, vs('a'));
    const b = store.upsert(VS, {
      ...vs('a', 7),
      metadata: { name: 'a', namespace: 'bookinfo', resourceVersion: '999' },
    });
    expect(b.metadata.generation).toBe(2);
  });
});
