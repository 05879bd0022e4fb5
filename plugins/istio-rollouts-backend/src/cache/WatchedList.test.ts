import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import type {
  KindListOptions,
  VersionedList,
  WatchEventType,
  WatchOptions,
} from '../kubernetes';
import { fakeClusterClient } from '../__testUtils__/clusterClients';
import {
  WatchedList,
  WatchedListOptions,
  WatchStatusError,
} from './WatchedList';

const SELECTION = {
  labelSelector: 'backstage.io/kubernetes-id=reviews',
  namespace: 'bookinfo',
};

function vs(
  name: string,
  resourceVersion: string,
  timeout = '10s',
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'bookinfo', resourceVersion },
    spec: { http: [{ timeout }] },
  };
}

/** Lets pending promise callbacks (a list's answer, a watch being opened) run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

/**
 * A cluster whose lists and watches the test answers by hand: each list
 * waits for `answerList`, each watch stays open until `end` is called.
 */
function scriptedCluster() {
  const lists: Array<{
    options: KindListOptions;
    resolve: (list: VersionedList) => void;
    reject: (e: unknown) => void;
  }> = [];
  const watches: Array<{
    options: WatchOptions;
    emit: (type: WatchEventType, object: KubeObject) => void;
    end: (err?: unknown) => void;
    stopped: boolean;
  }> = [];
  const client = fakeClusterClient({
    list: (_kind, options) =>
      new Promise((resolve, reject) =>
        lists.push({ options, resolve, reject }),
      ),
    watch: async (_kind, options, onEvent, onDone) => {
      const watch = {
        options,
        emit: onEvent,
        end: onDone,
        stopped: false,
      };
      watches.push(watch);
      return {
        stop: () => {
          watch.stopped = true;
        },
      };
    },
  });
  return {
    client,
    lists,
    watches,
    /** The newest watch. */
    get watch() {
      return watches[watches.length - 1];
    },
    async answerList(items: KubeObject[], resourceVersion: string) {
      lists[lists.length - 1].resolve({ items, resourceVersion });
      await settle();
    },
  };
}

/** Every list a test made, stopped after it so no deadline timer outlives it. */
const made: WatchedList[] = [];
afterEach(() => made.splice(0).forEach(list => list.stop()));

function makeList(
  cluster: ReturnType<typeof scriptedCluster>,
  options: Partial<WatchedListOptions> = {},
) {
  const onBroken = jest.fn();
  const onChange = jest.fn();
  const list = new WatchedList({
    client: cluster.client,
    kind: 'virtualservices',
    version: 'v1',
    selection: SELECTION,
    watchTimeoutSeconds: 300,
    onBroken,
    onChange,
    ...options,
  });
  made.push(list);
  list.start();
  return { list, onBroken, onChange };
}

const names = (list: WatchedList) =>
  list.items().map(o => `${o.metadata?.name}@${o.metadata?.resourceVersion}`);

describe('WatchedList', () => {
  it('lists with the selection, then watches from the list resourceVersion', async () => {
    const cluster = scriptedCluster();
    const { list, onChange } = makeList(cluster);
    expect(list.state).toBe('syncing');
    expect(cluster.lists[0].options).toMatchObject({
      version: 'v1',
      labelSelector: SELECTION.labelSelector,
      namespace: 'bookinfo',
    });

    await cluster.answerList([vs('b', '5'), vs('a', '4')], '7');
    expect(list.state).toBe('synced');
    expect(names(list)).toEqual(['a@4', 'b@5']);
    expect(onChange).toHaveBeenCalled();
    expect(cluster.watches).toHaveLength(1);
    expect(cluster.watch.options).toEqual({
      version: 'v1',
      labelSelector: SELECTION.labelSelector,
      namespace: 'bookinfo',
      resourceVersion: '7',
      timeoutSeconds: 300,
    });
  });

  it('applies ADDED, MODIFIED and DELETED events, and answers the stored objects', async () => {
    const cluster = scriptedCluster();
    const { list } = makeList(cluster);
    await cluster.answerList([vs('a', '4'), vs('b', '5')], '7');
    const modified = vs('a', '9', '20s');

    cluster.watch.emit('ADDED', vs('c', '8'));
    cluster.watch.emit('MODIFIED', modified);
    cluster.watch.emit('DELETED', vs('b', '10'));

    expect(names(list)).toEqual(['a@9', 'c@8']);
    expect(list.items()[0]).toBe(modified);
    expect(list.items()).not.toBe(list.items());
  });

  it('resumes a watch the server ended from the last resourceVersion, event or bookmark, without listing again', async () => {
    const cluster = scriptedCluster();
    let now = 0;
    const { list } = makeList(cluster, { now: () => now });
    await cluster.answerList([vs('a', '4')], '7');

    cluster.watch.emit('MODIFIED', vs('a', '8'));
    now += 300_000;
    cluster.watch.end();
    await settle();
    expect(cluster.watches).toHaveLength(2);
    expect(cluster.watch.options.resourceVersion).toBe('8');

    cluster.watch.emit('BOOKMARK', {
      kind: 'VirtualService',
      metadata: { resourceVersion: '12' },
    });
    now += 300_000;
    cluster.watch.end();
    await settle();
    expect(cluster.watches).toHaveLength(3);
    expect(cluster.watch.options.resourceVersion).toBe('12');
    expect(cluster.lists).toHaveLength(1);
    expect(list.state).toBe('synced');
    expect(names(list)).toEqual(['a@8']);
  });

  it('lists again after a 410 Gone ERROR event, and drops what the new list no longer has', async () => {
    const cluster = scriptedCluster();
    const { list } = makeList(cluster);
    await cluster.answerList([vs('a', '4'), vs('b', '5')], '7');
    const first = cluster.watch;

    first.emit('ERROR', {
      kind: 'Status',
      code: 410,
      reason: 'Expired',
    } as KubeObject);
    expect(list.state).toBe('syncing');
    expect(first.stopped).toBe(true);
    expect(cluster.lists).toHaveLength(2);

    await cluster.answerList([vs('a', '40')], '50');
    expect(list.state).toBe('synced');
    expect(names(list)).toEqual(['a@40']);
    expect(cluster.watch.options.resourceVersion).toBe('50');
  });

  it('lists again when the watch itself is answered 410 Gone', async () => {
    const cluster = scriptedCluster();
    const { list } = makeList(cluster);
    await cluster.answerList([vs('a', '4')], '7');

    cluster.watch.end(
      Object.assign(new Error('Gone'), { code: 410, headers: {} }),
    );
    expect(list.state).toBe('syncing');
    expect(cluster.lists).toHaveLength(2);
  });

  it('becomes broken on any other ERROR event, stops its watch, and does not retry', async () => {
    const cluster = scriptedCluster();
    const { list, onBroken } = makeList(cluster);
    await cluster.answerList([vs('a', '4')], '7');
    const watch = cluster.watch;

    watch.emit('ERROR', {
      kind: 'Status',
      code: 500,
      message: 'etcd is down',
    } as KubeObject);
    await settle();

    expect(list.state).toBe('broken');
    expect(watch.stopped).toBe(true);
    expect(onBroken).toHaveBeenCalledTimes(1);
    const error = onBroken.mock.calls[0][0];
    expect(error).toBeInstanceOf(WatchStatusError);
    expect(error).toMatchObject({ code: 500 });
    expect(list.items()).toEqual([]);
    // A late end of the stopped watch changes nothing.
    watch.end();
    await settle();
    expect(cluster.lists).toHaveLength(1);
    expect(cluster.watches).toHaveLength(1);
    expect(onBroken).toHaveBeenCalledTimes(1);
  });

  it('becomes broken when the watch fails, or when the list fails', async () => {
    const cluster = scriptedCluster();
    const watched = makeList(cluster);
    await cluster.answerList([vs('a', '4')], '7');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    cluster.watch.end(refused);
    expect(watched.list.state).toBe('broken');
    expect(watched.onBroken).toHaveBeenCalledWith(refused);

    const listed = makeList(cluster);
    const forbidden = Object.assign(new Error('Forbidden'), {
      code: 403,
      headers: {},
    });
    cluster.lists[1].reject(forbidden);
    await settle();
    expect(listed.list.state).toBe('broken');
    expect(listed.onBroken).toHaveBeenCalledWith(forbidden);
  });

  it('is in sync only once the watch after the list is open: a refused watch never syncs', async () => {
    const forbidden = Object.assign(new Error('Forbidden'), {
      code: 403,
      headers: {},
    });
    const client = fakeClusterClient({
      list: async () => ({
        items: [vs('a', '4')],
        resourceVersion: '7',
      }),
      watch: async () => {
        throw forbidden;
      },
    });
    const onBroken = jest.fn();
    const onChange = jest.fn();
    const list = new WatchedList({
      client,
      kind: 'virtualservices',
      version: 'v1',
      selection: SELECTION,
      watchTimeoutSeconds: 300,
      onBroken,
      onChange,
    });
    made.push(list);
    list.start();
    await settle();
    expect(list.state).toBe('broken');
    expect(onBroken).toHaveBeenCalledWith(forbidden);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('gives up on watches that keep ending at once without an event, rather than reconnecting in a loop', async () => {
    const cluster = scriptedCluster();
    const { list, onBroken } = makeList(cluster, { now: () => 0 });
    await cluster.answerList([vs('a', '4')], '7');
    for (let i = 0; i < 3; i++) {
      cluster.watch.end();
      await settle();
    }
    expect(cluster.watches).toHaveLength(3);
    expect(list.state).toBe('broken');
    expect(onBroken).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringContaining('3 watches in a row'),
      }),
    );
  });

  describe('with a clock', () => {
    beforeEach(() => {
      // setImmediate stays real: `settle` lets promises run.
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('becomes broken when the list does not answer in time', async () => {
      const cluster = scriptedCluster();
      const { list, onBroken } = makeList(cluster);
      jest.advanceTimersByTime(29_999);
      expect(list.state).toBe('syncing');
      jest.advanceTimersByTime(1);
      expect(list.state).toBe('broken');
      expect(cluster.lists[0].options.signal.aborted).toBe(true);
      expect(onBroken).toHaveBeenCalledWith(
        expect.objectContaining({
          message: 'the list did not answer within 30000 ms',
        }),
      );
    });

    it('becomes broken when a watch stays open past its timeout: its connection is presumed lost', async () => {
      const cluster = scriptedCluster();
      const { list, onBroken } = makeList(cluster);
      await cluster.answerList([vs('a', '4')], '7');
      expect(list.state).toBe('synced');
      jest.advanceTimersByTime(300_000 + 29_999);
      expect(list.state).toBe('synced');
      jest.advanceTimersByTime(1);
      expect(list.state).toBe('broken');
      expect(cluster.watch.stopped).toBe(true);
      expect(onBroken).toHaveBeenCalledWith(
        expect.objectContaining({
          message: expect.stringContaining('presumed lost'),
        }),
      );
    });

    it('leaves a watch the server ends in time alone', async () => {
      const cluster = scriptedCluster();
      const { list } = makeList(cluster);
      await cluster.answerList([vs('a', '4')], '7');
      for (let i = 0; i < 3; i++) {
        jest.advanceTimersByTime(300_000);
        cluster.watch.end();
        await settle();
      }
      jest.advanceTimersByTime(300_000);
      expect(list.state).toBe('synced');
      expect(cluster.watches).toHaveLength(4);
    });
  });

  describe('recordWrite', () => {
    it('shows the write at once and ignores older events until its own arrives', async () => {
      const cluster = scriptedCluster();
      const { list, onChange } = makeList(cluster);
      await cluster.answerList([vs('a', '4')], '7');
      onChange.mockClear();

      const written = vs('a', '9', '30s');
      list.recordWrite(written);
      expect(list.items()).toEqual([written]);
      expect(onChange).toHaveBeenCalledTimes(1);

      // Another writer's change before ours, still in flight on the watch.
      cluster.watch.emit('MODIFIED', vs('a', '8', '20s'));
      expect(list.items()).toEqual([written]);

      const own = vs('a', '9', '30s');
      cluster.watch.emit('MODIFIED', own);
      expect(list.items()[0]).toBe(own);

      // Released: later changes apply again.
      cluster.watch.emit('MODIFIED', vs('a', '11', '40s'));
      expect(names(list)).toEqual(['a@11']);
    });

    it('does nothing when the watch already delivered that version, or a later one', async () => {
      const cluster = scriptedCluster();
      const { list } = makeList(cluster);
      await cluster.answerList([vs('a', '4')], '7');

      cluster.watch.emit('MODIFIED', vs('a', '9', '30s'));
      cluster.watch.emit('MODIFIED', vs('a', '10', '40s'));
      list.recordWrite(vs('a', '9', '30s'));
      expect(names(list)).toEqual(['a@10']);

      cluster.watch.emit('MODIFIED', vs('a', '11', '50s'));
      expect(names(list)).toEqual(['a@11']);
    });

    it('is released by a DELETED event', async () => {
      const cluster = scriptedCluster();
      const { list } = makeList(cluster);
      await cluster.answerList([vs('a', '4')], '7');
      list.recordWrite(vs('a', '9'));
      cluster.watch.emit('DELETED', vs('a', '12'));
      expect(list.items()).toEqual([]);
      cluster.watch.emit('ADDED', vs('a', '13'));
      expect(names(list)).toEqual(['a@13']);
    });

    it('expires: after writePinMs the latest event the pin hid shows', async () => {
      const cluster = scriptedCluster();
      let now = 0;
      const { list } = makeList(cluster, {
        now: () => now,
        writePinMs: 30_000,
      });
      await cluster.answerList([vs('a', '4')], '7');
      list.recordWrite(vs('a', '9'));
      cluster.watch.emit('MODIFIED', vs('a', '8'));
      expect(names(list)).toEqual(['a@9']);

      now += 30_000;
      expect(names(list)).toEqual(['a@8']);
      cluster.watch.emit('MODIFIED', vs('a', '14'));
      expect(names(list)).toEqual(['a@14']);
    });

    it('is ignored until the list is in sync', async () => {
      const cluster = scriptedCluster();
      const { list } = makeList(cluster);
      list.recordWrite(vs('a', '9'));
      await cluster.answerList([vs('a', '4')], '7');
      expect(names(list)).toEqual(['a@4']);
    });
  });

  it('stop aborts the list in flight and ignores whatever arrives afterwards', async () => {
    const cluster = scriptedCluster();
    const { list, onBroken, onChange } = makeList(cluster);
    list.stop();
    expect(list.state).toBe('stopped');
    expect(cluster.lists[0].options.signal.aborted).toBe(true);
    await cluster.answerList([vs('a', '4')], '7');
    expect(cluster.watches).toHaveLength(0);
    expect(list.state).toBe('stopped');
    expect(onChange).not.toHaveBeenCalled();
    expect(onBroken).not.toHaveBeenCalled();
  });

  it('stop closes the watch', async () => {
    const cluster = scriptedCluster();
    const { list, onChange } = makeList(cluster);
    await cluster.answerList([vs('a', '4')], '7');
    onChange.mockClear();
    list.stop();
    expect(cluster.watch.stopped).toBe(true);
    expect(list.items()).toEqual([]);
    cluster.watch.end(new Error('aborted'));
    expect(list.state).toBe('stopped');
    expect(onChange).not.toHaveBeenCalled();
  });
});
