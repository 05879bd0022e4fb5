import { kubeObject } from '../__testUtils__/clusterClients';
import { NamespaceCache } from './NamespaceCache';

const signal = new AbortController().signal;

describe('NamespaceCache', () => {
  function setup() {
    let time = 0;
    const cache = new NamespaceCache({ ttlMs: 1000, now: () => time });
    const read = jest.fn(async (name: string) =>
      name === 'gone' ? undefined : kubeObject('Namespace', name),
    );
    return { cache, read, advance: (ms: number) => (time += ms) };
  }

  it('reads a namespace never seen before, and answers it from memory afterwards', async () => {
    const { cache, read } = setup();
    expect(await cache.get('east', ['bookinfo'], read, signal)).toEqual([
      kubeObject('Namespace', 'bookinfo'),
    ]);
    expect(await cache.get('east', ['bookinfo'], read, signal)).toEqual([
      kubeObject('Namespace', 'bookinfo'),
    ]);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith('bookinfo', signal);
  });

  it('keeps clusters apart, and leaves out namespaces that do not exist', async () => {
    const { cache, read } = setup();
    await cache.get('east', ['bookinfo'], read, signal);
    expect(await cache.get('west', ['bookinfo', 'gone'], read, signal)).toEqual(
      [kubeObject('Namespace', 'bookinfo')],
    );
    expect(read.mock.calls.map(c => c[0])).toEqual([
      'bookinfo',
      'bookinfo',
      'gone',
    ]);
    // "gone" is remembered as absent too: no second read.
    await cache.get('west', ['gone'], read, signal);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('answers a stale entry at once and refreshes it in the background, with its own signal', async () => {
    const { cache, advance } = setup();
    let revision = '1-22';
    const read = jest.fn(async (name: string) => ({
      ...kubeObject('Namespace', name),
      metadata: { name, labels: { 'istio.io/rev': revision } },
    }));
    await cache.get('east', ['bookinfo'], read, signal);
    revision = '1-23';
    advance(1000);
    const stale = await cache.get('east', ['bookinfo'], read, signal);
    expect(stale[0].metadata?.labels).toEqual({ 'istio.io/rev': '1-22' });
    expect(read).toHaveBeenCalledTimes(2);
    expect((read.mock.calls[1] as unknown[])[1]).not.toBe(signal);
    await new Promise(resolve => setImmediate(resolve));
    const fresh = await cache.get('east', ['bookinfo'], read, signal);
    expect(fresh[0].metadata?.labels).toEqual({ 'istio.io/rev': '1-23' });
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps the very same object when a refresh finds the Namespace unchanged, so read models built on it are reused', async () => {
    const { cache, advance } = setup();
    let version = '7';
    const read = jest.fn(async (name: string) => ({
      ...kubeObject('Namespace', name),
      metadata: { name, resourceVersion: version },
    }));
    const [first] = await cache.get('east', ['bookinfo'], read, signal);
    advance(1000);
    await cache.get('east', ['bookinfo'], read, signal);
    await new Promise(resolve => setImmediate(resolve));
    const [unchanged] = await cache.get('east', ['bookinfo'], read, signal);
    expect(read).toHaveBeenCalledTimes(2);
    expect(unchanged).toBe(first);
    version = '8';
    advance(1000);
    await cache.get('east', ['bookinfo'], read, signal);
    await new Promise(resolve => setImmediate(resolve));
    const [changed] = await cache.get('east', ['bookinfo'], read, signal);
    expect(changed).not.toBe(first);
    expect(changed.metadata?.resourceVersion).toBe('8');
  });

  it('keeps the old answer when a refresh fails, and tries again on the next read', async () => {
    const { cache, read, advance } = setup();
    await cache.get('east', ['bookinfo'], read, signal);
    advance(1000);
    read.mockRejectedValueOnce(new Error('connection refused'));
    expect(await cache.get('east', ['bookinfo'], read, signal)).toEqual([
      kubeObject('Namespace', 'bookinfo'),
    ]);
    await new Promise(resolve => setImmediate(resolve));
    await cache.get('east', ['bookinfo'], read, signal);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('fails a read whose never-seen namespace cannot be read', async () => {
    const { cache, read } = setup();
    read.mockRejectedValueOnce(new Error('connection refused'));
    await expect(cache.get('east', ['bookinfo'], read, signal)).rejects.toThrow(
      'connection refused',
    );
    expect(await cache.get('east', ['bookinfo'], read, signal)).toHaveLength(1);
  });
});
