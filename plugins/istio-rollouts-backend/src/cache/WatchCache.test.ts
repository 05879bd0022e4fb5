import { mockServices } from '@backstage/backend-test-utils';
import { KubeSim, KubeSimOptions, startKubeSim } from '@internal/kube-sim';
import http from 'node:http';
import path from 'node:path';
import { KubeClusterClient } from '../kubernetes';
import { EntitySelection } from '../selection';
import { WatchCache, WatchCacheOptions } from './WatchCache';

const REPO = path.resolve(__dirname, '../../../..');
const DEMO_EAST = path.join(REPO, 'examples/clusters/demo-east');
const USERS_FILE = path.join(REPO, 'examples/clusters/users.yaml');
const TOKEN = 'demo-rollouts-token';
const REVIEWS: EntitySelection = {
  labelSelector: 'backstage.io/kubernetes-id=reviews',
};
const RATINGS: EntitySelection = {
  labelSelector: 'backstage.io/kubernetes-id=ratings',
  namespace: 'bookinfo',
};
const FOOBAR: EntitySelection = {
  labelSelector: 'backstage.io/kubernetes-id=foobar',
};
const CLUSTER = 'demo-east';

/** Polls until `check` stops throwing, for at most `timeoutMs`. */
async function eventually<T>(check: () => T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

/** A request straight to the simulator, as another writer (kubectl, a controller) would send it. */
function kube(
  sim: KubeSim,
  method: string,
  urlPath: string,
  body?: unknown,
  contentType = 'application/merge-patch+json',
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sim.url}${urlPath}`,
      {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          ...(body !== undefined && { 'Content-Type': contentType }),
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const REVIEWS_VS =
  '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews';

function names(objects: Array<{ metadata?: { name?: string } }> | undefined) {
  return objects?.map(o => o.metadata?.name);
}

describe('WatchCache against kube-sim', () => {
  let sim: KubeSim | undefined;
  let cache: WatchCache | undefined;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  async function setup(
    options: Partial<WatchCacheOptions> = {},
    simOptions: KubeSimOptions = {},
    token = TOKEN,
  ) {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      usersFile: USERS_FILE,
      ...simOptions,
    });
    const client = await KubeClusterClient.create({
      name: CLUSTER,
      url: sim.url,
      serviceAccountToken: token,
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
    logger = mockServices.logger.mock();
    cache = new WatchCache({ logger, ...options });
    return { sim, client, cache };
  }

  /** The watch requests the simulator served for one resource. */
  function watchRequests(resource: string) {
    return sim!.requests
      .list()
      .filter(r => r.verb === 'watch' && r.resource === resource);
  }
  function listRequests(resource: string) {
    return sim!.requests
      .list()
      .filter(r => r.verb === 'list' && r.resource === resource);
  }

  afterEach(async () => {
    cache?.stop();
    await sim?.close();
    cache = undefined;
    sim = undefined;
  });

  it('answers undefined until it is in sync, then the entity objects from memory', async () => {
    const { client } = await setup();
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();

    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();
    await cache!.whenSynced(CLUSTER, REVIEWS);

    const objects = cache!.get(CLUSTER, REVIEWS);
    expect(objects?.istioVersion).toBe('v1');
    expect(names(objects?.virtualServices)).toEqual(['reviews']);
    expect(names(objects?.destinationRules)).toEqual(['reviews']);
    expect(names(objects?.deployments)).toEqual([
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(names(objects?.services)).toEqual(['reviews']);
    expect(objects?.virtualServices[0]).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      spec: { http: [expect.objectContaining({ timeout: '10s' })] },
    });

    // Later reads ask the cluster nothing: one list and one watch per kind.
    const requests = sim!.requests.list().length;
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.get(CLUSTER, REVIEWS)).toBeDefined();
    expect(sim!.requests.list()).toHaveLength(requests);
    for (const resource of [
      'virtualservices',
      'destinationrules',
      'deployments',
      'services',
    ]) {
      expect(listRequests(resource)).toHaveLength(1);
      expect(watchRequests(resource)).toEqual([
        expect.objectContaining({
          query: expect.objectContaining({
            labelSelector: REVIEWS.labelSelector,
            allowWatchBookmarks: 'true',
          }),
        }),
      ]);
    }
  });

  it('shows a change made directly on the cluster, and forgets a deleted object', async () => {
    const { client } = await setup();
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    const changed = jest.fn();
    const unsubscribe = cache!.subscribe(CLUSTER, REVIEWS, changed);

    const patched = await kube(sim!, 'PATCH', REVIEWS_VS, {
      spec: { http: [{ name: 'reviews-route', timeout: '12s' }] },
    });
    expect(patched.status).toBe(200);
    await eventually(() =>
      expect(
        cache!.get(CLUSTER, REVIEWS)?.virtualServices[0].metadata
          ?.resourceVersion,
      ).toBe(patched.body.metadata.resourceVersion),
    );
    expect(cache!.get(CLUSTER, REVIEWS)?.virtualServices[0].spec).toEqual(
      patched.body.spec,
    );
    expect(changed).toHaveBeenCalled();
    unsubscribe();

    const deleted = await kube(
      sim!,
      'DELETE',
      '/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v3',
    );
    expect(deleted.status).toBe(200);
    await eventually(() =>
      expect(names(cache!.get(CLUSTER, REVIEWS)?.deployments)).toEqual([
        'reviews-v1',
        'reviews-v2',
      ]),
    );
  });

  it("answers this replica's own write at once (read-your-writes)", async () => {
    const { client } = await setup();
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);

    const written = await client.patchIstio(
      {
        version: 'v1',
        resource: 'virtualservices',
        namespace: 'bookinfo',
        name: 'reviews',
      },
      [{ op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 }],
      new AbortController().signal,
    );
    cache!.recordWrite(CLUSTER, REVIEWS, 'virtualservices', written);
    expect(
      cache!.get(CLUSTER, REVIEWS)?.virtualServices[0].metadata
        ?.resourceVersion,
    ).toBe(written.metadata?.resourceVersion);
  });

  it('re-watches from the last resourceVersion when the server ends a watch after timeoutSeconds', async () => {
    const { client } = await setup({ watchTimeoutSeconds: 1 });
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    const [first] = watchRequests('virtualservices');

    const patched = await kube(sim!, 'PATCH', REVIEWS_VS, {
      metadata: { annotations: { note: 'before the re-watch' } },
    });
    const rewatch = await eventually(() => {
      const again = watchRequests('virtualservices')[1];
      if (!again) throw new Error('not re-watched yet');
      return again;
    });
    expect(rewatch.query).toMatchObject({
      labelSelector: REVIEWS.labelSelector,
      resourceVersion: patched.body.metadata.resourceVersion,
      timeoutSeconds: '1',
    });
    expect(first.query.timeoutSeconds).toBe('1');
    expect(listRequests('virtualservices')).toHaveLength(1);

    // Still live, still answered from memory.
    const again = await kube(sim!, 'PATCH', REVIEWS_VS, {
      metadata: { annotations: { note: 'after the re-watch' } },
    });
    await eventually(() =>
      expect(
        cache!.get(CLUSTER, REVIEWS)?.virtualServices[0].metadata
          ?.resourceVersion,
      ).toBe(again.body.metadata.resourceVersion),
    );
  });

  it('lists again when a watch is answered 410 Gone', async () => {
    const { client } = await setup({ watchTimeoutSeconds: 1 });
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    // The next watch of services (after this one's timeout) is refused with 410.
    sim!.faults.add({
      verb: 'watch',
      resource: 'services',
      status: 410,
      times: 1,
    });
    await eventually(() => expect(listRequests('services')).toHaveLength(2));
    await cache!.whenSynced(CLUSTER, REVIEWS);
    expect(names(cache!.get(CLUSTER, REVIEWS)?.services)).toEqual(['reviews']);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('drops the entry when the cluster goes away, so reads list from the cluster again', async () => {
    const { client } = await setup();
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    expect(cache!.get(CLUSTER, REVIEWS)).toBeDefined();

    await sim!.close();
    await eventually(() => expect(cache!.size).toBe(0));
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Stopped watching \w+ of backstage.io\/kubernetes-id=reviews in cluster demo-east/,
      ),
    );
    // Not started again right away.
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.size).toBe(0);
  });

  it('does not start again for retryAfterFailureMs after a watch was refused', async () => {
    let now = 0;
    const { client } = await setup(
      { retryAfterFailureMs: 30_000, now: () => now },
      {
        usersFile: undefined,
        users: [
          {
            name: 'no-watch',
            token: 'no-watch-token',
            rules: [
              { verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] },
            ],
          },
        ],
      },
      'no-watch-token',
    );
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await expect(cache!.whenSynced(CLUSTER, REVIEWS)).rejects.toMatchObject({
      code: 403,
    });
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('403'));

    const requests = sim!.requests.list().length;
    now += 29_000;
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.size).toBe(0);
    now += 1_000;
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.size).toBe(1);
    await eventually(() =>
      expect(sim!.requests.list().length).toBeGreaterThan(requests),
    );
    await expect(cache!.whenSynced(CLUSTER, REVIEWS)).rejects.toBeDefined();
  });

  it('stops entries that were not read for idleTimeoutMs', async () => {
    let now = 0;
    const { client } = await setup({ idleTimeoutMs: 60_000, now: () => now });
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    cache!.ensure(CLUSTER, client, 'v1', RATINGS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    await cache!.whenSynced(CLUSTER, RATINGS);

    now += 50_000;
    expect(cache!.get(CLUSTER, RATINGS)).toBeDefined();
    now += 20_000;
    cache!.evictIdle();
    expect(cache!.size).toBe(1);
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();
    expect(names(cache!.get(CLUSTER, RATINGS)?.virtualServices)).toEqual([
      'ratings',
    ]);

    // Watching again starts from a fresh list.
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    expect(listRequests('virtualservices')).toHaveLength(3);
  });

  it('evicts the least recently read entry when full', async () => {
    const { client } = await setup({ maxEntries: 2 });
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    cache!.ensure(CLUSTER, client, 'v1', RATINGS);
    await cache!.whenSynced(CLUSTER, REVIEWS);
    await cache!.whenSynced(CLUSTER, RATINGS);
    cache!.get(CLUSTER, REVIEWS);

    cache!.ensure(CLUSTER, client, 'v1', FOOBAR);
    await cache!.whenSynced(CLUSTER, FOOBAR);
    expect(cache!.size).toBe(2);
    expect(cache!.get(CLUSTER, RATINGS)).toBeUndefined();
    expect(cache!.get(CLUSTER, REVIEWS)).toBeDefined();
    expect(names(cache!.get(CLUSTER, FOOBAR)?.virtualServices)).toEqual([
      'foobar',
    ]);
  });

  it('replaces an entry when the cluster serves another Istio version', async () => {
    const { client } = await setup();
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    await cache!.whenSynced(CLUSTER, REVIEWS);

    cache!.ensure(CLUSTER, client, 'v1beta1', REVIEWS);
    expect(cache!.get(CLUSTER, REVIEWS)).toBeUndefined();
    await cache!.whenSynced(CLUSTER, REVIEWS);
    const objects = cache!.get(CLUSTER, REVIEWS);
    expect(objects?.istioVersion).toBe('v1beta1');
    expect(objects?.virtualServices[0].apiVersion).toBe(
      'networking.istio.io/v1beta1',
    );
    expect(cache!.size).toBe(1);
  });

  it('stops every watch, and starts none afterwards', async () => {
    const { client } = await setup();
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    const synced = cache!.whenSynced(CLUSTER, REVIEWS);
    cache!.stop();
    await expect(synced).rejects.toThrow('stopped');
    expect(cache!.size).toBe(0);
    cache!.ensure(CLUSTER, client, 'v1', REVIEWS);
    expect(cache!.size).toBe(0);
    await expect(cache!.whenSynced(CLUSTER, REVIEWS)).rejects.toThrow(
      'Not watching',
    );
  });
});
