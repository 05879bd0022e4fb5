import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import type { ObjectKind, WatchEventType } from '../kubernetes';
import {
  fakeClusterClient,
  kubeObject,
  listing,
} from '../__testUtils__/clusterClients';
import { CacheEntry, entryKey } from './CacheEntry';

const SELECTION = {
  labelSelector: 'backstage.io/kubernetes-id=reviews',
  namespace: 'bookinfo',
};

/** Lets pending promise callbacks (a list's answer, a watch being opened) run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

function withVersion(object: KubeObject, resourceVersion: string) {
  return {
    ...object,
    metadata: { ...object.metadata, resourceVersion },
  };
}

function makeEntry() {
  const emit = new Map<
    ObjectKind,
    (type: WatchEventType, o: KubeObject) => void
  >();
  const client = fakeClusterClient({
    list: listing({
      virtualservices: [kubeObject('VirtualService', 'reviews', 'bookinfo')],
      services: [kubeObject('Service', 'reviews', 'bookinfo')],
    }),
    watch: async (kind, _options, onEvent) => {
      emit.set(kind, onEvent);
      return { stop: () => {} };
    },
  });
  const onBroken = jest.fn();
  const onChange = jest.fn();
  const entry = new CacheEntry('east', SELECTION, 'v1', {
    client,
    watchTimeoutSeconds: 300,
    requestTimeoutMs: undefined,
    now: () => 1000,
    onBroken,
    onChange,
  });
  return { entry, client, emit, onBroken, onChange };
}

describe('CacheEntry', () => {
  const entries: CacheEntry[] = [];
  afterEach(() => entries.splice(0).forEach(e => e.stop()));

  it('is keyed by cluster, namespace and label selector', () => {
    const { entry } = makeEntry();
    expect(entry.key).toBe(entryKey('east', SELECTION));
    expect(entryKey('east', SELECTION)).not.toBe(entryKey('west', SELECTION));
    expect(entryKey('east', SELECTION)).not.toBe(
      entryKey('east', { labelSelector: SELECTION.labelSelector }),
    );
    expect(entry.lastRead).toBe(1000);
  });

  it('lists and watches the four kinds at its Istio version, and is synced once all are', async () => {
    const { entry, client, onChange } = makeEntry();
    entries.push(entry);
    expect(entry.synced).toBe(false);
    entry.start();
    await settle();
    expect(
      client.list.mock.calls.map(([kind, o]) => [kind, o.version]),
    ).toEqual([
      ['virtualservices', 'v1'],
      ['destinationrules', 'v1'],
      ['deployments', 'v1'],
      ['services', 'v1'],
    ]);
    expect(entry.synced).toBe(true);
    expect(onChange).toHaveBeenCalled();
    expect(entry.objects()).toEqual({
      istioVersion: 'v1',
      virtualServices: [kubeObject('VirtualService', 'reviews', 'bookinfo')],
      destinationRules: [],
      deployments: [],
      services: [kubeObject('Service', 'reviews', 'bookinfo')],
    });
  });

  it('records a write in the list of its kind', async () => {
    const { entry } = makeEntry();
    entries.push(entry);
    entry.start();
    await settle();
    const written = withVersion(
      kubeObject('DestinationRule', 'reviews', 'bookinfo'),
      '9',
    );
    entry.recordWrite('destinationrules', written);
    expect(entry.objects().destinationRules).toEqual([written]);
  });

  it('resolves its waiters once synced, and rejects them when told', async () => {
    const { entry } = makeEntry();
    entries.push(entry);
    const resolved = jest.fn();
    entry.waiters.push({ resolve: resolved, reject: jest.fn() });
    entry.resolveWaitersIfSynced();
    expect(resolved).not.toHaveBeenCalled();
    entry.start();
    await settle();
    entry.resolveWaitersIfSynced();
    expect(resolved).toHaveBeenCalledTimes(1);
    expect(entry.waiters).toEqual([]);

    const rejected = jest.fn();
    entry.waiters.push({ resolve: jest.fn(), reject: rejected });
    entry.rejectWaiters('stopped');
    expect(rejected).toHaveBeenCalledWith('stopped');
    expect(entry.waiters).toEqual([]);
  });

  it('names the kind whose list broke', async () => {
    const { entry, emit, onBroken } = makeEntry();
    entries.push(entry);
    entry.start();
    await settle();
    emit.get('deployments')!('ERROR', { code: 403 } as KubeObject);
    expect(onBroken).toHaveBeenCalledWith(
      'deployments',
      expect.objectContaining({ code: 403 }),
    );
    expect(entry.synced).toBe(false);
  });

  it('stops its lists', async () => {
    const { entry } = makeEntry();
    entry.start();
    await settle();
    entry.stop();
    expect(entry.synced).toBe(false);
  });
});
