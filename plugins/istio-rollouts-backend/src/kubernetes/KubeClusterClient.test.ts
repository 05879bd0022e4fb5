import { KubeSim, startKubeSim } from '@internal/kube-sim';
import type {
  JsonPatchOperation,
  KubeObject as KubeObjectLike,
} from '@internal/plugin-istio-rollouts-common';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ClusterDetails } from '../clusters';
import { KubeClusterClient } from './KubeClusterClient';
import { kubeStatusCode } from './errors';

const REPO = path.resolve(__dirname, '../../../..');
const DEMO_EAST = path.join(REPO, 'examples/clusters/demo-east');
const USERS_FILE = path.join(REPO, 'examples/clusters/users.yaml');
const REVIEWS = 'backstage.io/kubernetes-id=reviews';

describe('KubeClusterClient against kube-sim', () => {
  let sim: KubeSim;
  let cluster: ClusterDetails;
  let client: KubeClusterClient;
  const signal = () => new AbortController().signal;

  beforeAll(async () => {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      usersFile: USERS_FILE,
    });
    cluster = {
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: 'demo-rollouts-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    };
    client = await KubeClusterClient.create(cluster);
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(() => {
    sim.requests.clear();
    sim.faults.clear();
  });

  it('discovers the Istio versions the cluster serves', async () => {
    expect((await client.getIstioVersions(signal()))?.sort()).toEqual([
      'v1',
      'v1alpha3',
      'v1beta1',
    ]);
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/apis/networking.istio.io',
        status: 200,
        user: 'backstage-istio-rollouts',
      }),
    ]);
  });

  it('reports a cluster that serves no networking.istio.io group as undefined', async () => {
    sim.faults.add({ verb: 'get', status: 404, times: 1 });
    expect(await client.getIstioVersions(signal())).toBeUndefined();
  });

  it('lists VirtualServices across namespaces with the label selector only', async () => {
    const { items } = await client.list('virtualservices', {
      version: 'v1',
      labelSelector: REVIEWS,
      signal: signal(),
    });
    expect(
      items.map(vs => `${vs.metadata?.namespace}/${vs.metadata?.name}`),
    ).toEqual(['bookinfo/reviews']);
    // Unmodelled fields arrive untouched: patches and findings rely on them.
    expect(items[0].spec).toMatchObject({
      http: [expect.objectContaining({ timeout: '10s' })],
    });
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        path: '/apis/networking.istio.io/v1/virtualservices',
        query: expect.objectContaining({ labelSelector: REVIEWS }),
        status: 200,
      }),
    ]);
  });

  it('lists in the entity namespace when one is given, at the requested version', async () => {
    const { items } = await client.list('destinationrules', {
      version: 'v1beta1',
      labelSelector: REVIEWS,
      namespace: 'bookinfo',
      signal: signal(),
    });
    expect(items.map(dr => dr.metadata?.name)).toEqual(['reviews']);
    expect(items[0].apiVersion).toBe('networking.istio.io/v1beta1');
    expect(sim.requests.list()[0]).toMatchObject({
      path: '/apis/networking.istio.io/v1beta1/namespaces/bookinfo/destinationrules',
      query: { labelSelector: REVIEWS },
    });
  });

  it('lists Deployments and Services with the label selector', async () => {
    const { items: deployments } = await client.list('deployments', {
      version: '',
      labelSelector: REVIEWS,
      signal: signal(),
    });
    expect(deployments.map(d => d.metadata?.name).sort()).toEqual([
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    const { items: services } = await client.list('services', {
      version: '',
      labelSelector: REVIEWS,
      namespace: 'bookinfo',
      signal: signal(),
    });
    expect(services.map(s => s.metadata?.name)).toEqual(['reviews']);
    expect(
      sim.requests.list().map(r => [r.path, r.query.labelSelector]),
    ).toEqual([
      ['/apis/apps/v1/deployments', REVIEWS],
      ['/api/v1/namespaces/bookinfo/services', REVIEWS],
    ]);
  });

  it('reads a Namespace, and answers undefined for one that does not exist', async () => {
    const ns = await client.getNamespace('foobar', signal());
    expect(ns?.metadata?.labels).toMatchObject({ 'istio.io/rev': 'canary' });
    expect(
      await client.getNamespace('no-such-namespace', signal()),
    ).toBeUndefined();
  });

  it('reads one Istio object by name, and answers undefined for one that does not exist', async () => {
    const ref = {
      version: 'v1',
      resource: 'virtualservices' as const,
      namespace: 'bookinfo',
      name: 'reviews',
    };
    const vs = await client.getIstio(ref, signal());
    expect(vs?.metadata?.name).toBe('reviews');
    expect(
      await client.getIstio({ ...ref, name: 'no-such-vs' }, signal()),
    ).toBeUndefined();
  });

  it('sends a JSON Patch as application/json-patch+json and answers the stored object', async () => {
    const ref = {
      version: 'v1',
      resource: 'destinationrules' as const,
      namespace: 'bookinfo',
      name: 'reviews',
    };
    const before = await client.getIstio(ref, signal());
    sim.requests.clear();
    const operations: JsonPatchOperation[] = [
      {
        op: 'replace',
        path: '/metadata/resourceVersion',
        value: before?.metadata?.resourceVersion,
      },
      { op: 'test', path: '/spec/subsets/2/name', value: 'v3' },
      { op: 'replace', path: '/spec/subsets/2/labels/version', value: 'v3' },
    ];
    const after = await client.patchIstio(ref, operations, signal());
    expect(after.metadata?.name).toBe('reviews');
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        path: '/apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules/reviews',
        query: { fieldManager: 'backstage-istio-rollouts' },
        contentType: 'application/json-patch+json',
        body: operations,
        status: 200,
      }),
    ]);
  });

  it('surfaces a failed test operation as the API server answered it (422)', async () => {
    const error = await client
      .patchIstio(
        {
          version: 'v1',
          resource: 'virtualservices',
          namespace: 'bookinfo',
          name: 'reviews',
        },
        [{ op: 'test', path: '/spec/http/0/route/0/weight', value: 7 }],
        signal(),
      )
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(422);
  });

  it('aborts its requests when the signal fires', async () => {
    sim.faults.add({ resource: 'virtualservices', latencyMs: 300 });
    const controller = new AbortController();
    const pending = client.list('virtualservices', {
      version: 'v1',
      labelSelector: REVIEWS,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('surfaces the API server status of a failed list', async () => {
    sim.faults.add({ resource: 'deployments', status: 500, times: 1 });
    const error = await client
      .list('deployments', {
        version: '',
        labelSelector: REVIEWS,
        signal: signal(),
      })
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(500);
  });

  it('sends the configured token: a wrong one is refused with 401', async () => {
    const stranger = await KubeClusterClient.create({
      ...cluster,
      serviceAccountToken: 'not-a-token',
    });
    const error = await stranger
      .list('services', {
        version: '',
        labelSelector: REVIEWS,
        signal: signal(),
      })
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(401);
  });
});

describe('KubeClusterClient without a configured token', () => {
  let sim: KubeSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      usersFile: USERS_FILE,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-rollouts-'));
  });

  afterAll(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cluster = (): ClusterDetails => ({
    name: 'in-cluster',
    url: sim.url,
    skipTLSVerify: false,
    allowInsecureHttp: true,
    impersonate: false,
  });

  it("uses the backend's own in-cluster service account token", async () => {
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'demo-viewer-token');
    const client = await KubeClusterClient.create(cluster(), {
      inClusterTokenFile: tokenFile,
    });
    await client.list('services', {
      version: '',
      labelSelector: REVIEWS,
      signal: new AbortController().signal,
    });
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({ user: 'viewer', status: 200 }),
    ]);
  });

  it('refuses to build a client with no token at all, naming the cluster', async () => {
    await expect(
      KubeClusterClient.create(cluster(), {
        inClusterTokenFile: path.join(dir, 'missing'),
      }),
    ).rejects.toMatchObject({
      reason: 'MissingCredentials',
      message: expect.stringContaining(
        'Cluster "in-cluster" has no serviceAccountToken configured',
      ),
    });
  });
});

describe('KubeClusterClient with a service account that may not read namespaces', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      users: [
        {
          name: 'lister',
          token: 'lister-token',
          rules: [
            {
              verbs: ['get', 'list'],
              apiGroups: ['networking.istio.io', 'apps', ''],
              resources: [
                'virtualservices',
                'destinationrules',
                'deployments',
                'services',
              ],
            },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('answers undefined rather than failing the read', async () => {
    const client = await KubeClusterClient.create({
      name: 'restricted',
      url: sim.url,
      serviceAccountToken: 'lister-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
    expect(
      await client.getNamespace('bookinfo', new AbortController().signal),
    ).toBeUndefined();
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        path: '/api/v1/namespaces/bookinfo',
        status: 403,
      }),
    ]);
  });
});

describe('KubeClusterClient connections', () => {
  // A bare server that counts TCP connections: kube-sim does not expose them.
  let server: http.Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        req.url?.startsWith('/apis/networking.istio.io?') ||
          req.url === '/apis/networking.istio.io'
          ? JSON.stringify({ versions: [{ version: 'v1' }] })
          : JSON.stringify({
              kind: 'List',
              metadata: { resourceVersion: '1' },
              items: [],
            }),
      );
    });
    server.on('connection', () => connections++);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('keeps one connection alive across requests to a cluster', async () => {
    const client = await KubeClusterClient.create({
      name: 'pooled',
      url,
      serviceAccountToken: 'token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
    const signal = new AbortController().signal;
    const list = { version: 'v1', labelSelector: 'app=x', signal };
    connections = 0;
    await client.getIstioVersions(signal);
    await client.list('virtualservices', list);
    await client.list('deployments', list);
    await client.list('services', list);
    await client.getNamespace('default', signal);
    expect(connections).toBe(1);
  });
});

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

describe('KubeClusterClient lists and watches for a watch cache', () => {
  let sim: KubeSim;
  let client: KubeClusterClient;
  const handles: Array<{ stop(): void }> = [];
  const signal = () => new AbortController().signal;

  /** Opens a watch that records what it gets. */
  async function record(
    kind: Parameters<KubeClusterClient['watch']>[0],
    options: Partial<Parameters<KubeClusterClient['watch']>[1]> & {
      resourceVersion: string;
    },
  ) {
    const events: Array<{ type: string; object: KubeObjectLike }> = [];
    const done: unknown[] = [];
    const handle = await client.watch(
      kind,
      { version: 'v1', labelSelector: REVIEWS, timeoutSeconds: 60, ...options },
      (type, object) => events.push({ type, object }),
      err => done.push(err),
    );
    handles.push(handle);
    return { events, done, handle };
  }

  beforeAll(async () => {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      usersFile: USERS_FILE,
      bookmarkIntervalMs: 100,
    });
    client = await KubeClusterClient.create({
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: 'demo-rollouts-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
  });

  afterEach(() => {
    handles.splice(0).forEach(h => h.stop());
    sim.requests.clear();
    sim.faults.clear();
  });

  afterAll(async () => {
    await sim.close();
  });

  it("lists a kind with the list's resourceVersion, every item as raw JSON with its apiVersion and kind", async () => {
    const list = await client.list('deployments', {
      version: 'v1',
      labelSelector: REVIEWS,
      signal: signal(),
    });
    expect(list.resourceVersion).toBe(sim.store.resourceVersion);
    expect(list.items.map(d => d.metadata?.name)).toEqual([
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(list.items[0]).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { creationTimestamp: expect.any(String) },
    });
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        path: '/apis/apps/v1/deployments',
        query: { labelSelector: REVIEWS, limit: '500' },
        status: 200,
      }),
    ]);
  });

  it('lists Istio kinds at the requested version, and only in the namespace when one is given', async () => {
    const vs = await client.list('virtualservices', {
      version: 'v1beta1',
      labelSelector: REVIEWS,
      namespace: 'bookinfo',
      signal: signal(),
    });
    expect(vs.items).toEqual([
      expect.objectContaining({
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: expect.objectContaining({ name: 'reviews' }),
      }),
    ]);
    const services = await client.list('services', {
      version: 'v1beta1',
      labelSelector: REVIEWS,
      namespace: 'bookinfo',
      signal: signal(),
    });
    expect(services.items).toEqual([
      expect.objectContaining({ apiVersion: 'v1', kind: 'Service' }),
    ]);
    expect(sim.requests.list().map(r => r.path)).toEqual([
      '/apis/networking.istio.io/v1beta1/namespaces/bookinfo/virtualservices',
      '/api/v1/namespaces/bookinfo/services',
    ]);
  });

  it("follows continue tokens, answering the first page's resourceVersion", async () => {
    const many = 'backstage.io/kubernetes-id=many';
    sim.loadManifests(
      Array.from({ length: 501 }, (_, i) =>
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name: `many-${String(i).padStart(3, '0')}`,
            namespace: 'default',
            labels: { 'backstage.io/kubernetes-id': 'many' },
          },
          spec: { ports: [{ port: 80 }] },
        }),
      ).join('\n---\n'),
    );
    const listedAt = sim.store.resourceVersion;
    const list = await client.list('services', {
      version: 'v1',
      labelSelector: many,
      signal: signal(),
    });
    expect(list.items).toHaveLength(501);
    expect(list.items[500].metadata?.name).toBe('many-500');
    expect(list.resourceVersion).toBe(listedAt);
    const requests = sim.requests.list();
    expect(requests).toHaveLength(2);
    expect(requests[1].query).toEqual({
      labelSelector: many,
      limit: '500',
      continue: expect.any(String),
    });
  });

  it('surfaces a refused list as the API server answered it', async () => {
    sim.faults.add({ verb: 'list', resource: 'services', status: 403 });
    const error = await client
      .list('services', {
        version: 'v1',
        labelSelector: REVIEWS,
        signal: signal(),
      })
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(403);
  });

  it('watches from a resourceVersion with bookmarks: a change arrives as a MODIFIED event', async () => {
    const { resourceVersion } = await client.list('virtualservices', {
      version: 'v1',
      labelSelector: REVIEWS,
      signal: signal(),
    });
    const watch = await record('virtualservices', { resourceVersion });
    const ref = {
      version: 'v1',
      resource: 'virtualservices' as const,
      namespace: 'bookinfo',
      name: 'reviews',
    };
    const patched = await client.patchIstio(
      ref,
      [{ op: 'replace', path: '/spec/http/0/timeout', value: '11s' }],
      signal(),
    );
    const modified = await eventually(() => {
      const event = watch.events.find(e => e.type === 'MODIFIED');
      if (!event) throw new Error('no MODIFIED event yet');
      return event;
    });
    expect(modified.object.metadata?.resourceVersion).toBe(
      patched.metadata?.resourceVersion,
    );
    await eventually(() =>
      expect(watch.events.map(e => e.type)).toContain('BOOKMARK'),
    );
    expect(watch.done).toEqual([]);
    expect(
      sim.requests.list().find(r => r.query.watch === 'true'),
    ).toMatchObject({
      path: '/apis/networking.istio.io/v1/virtualservices',
      query: {
        labelSelector: REVIEWS,
        resourceVersion,
        timeoutSeconds: '60',
        allowWatchBookmarks: 'true',
      },
      status: 200,
    });
  });

  it('calls neither callback once stopped', async () => {
    const first = await record('destinationrules', {
      resourceVersion: sim.store.resourceVersion,
    });
    first.handle.stop();
    const second = await record('destinationrules', {
      resourceVersion: sim.store.resourceVersion,
    });
    sim.loadManifests(
      JSON.stringify({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: {
          name: 'reviews-extra',
          namespace: 'bookinfo',
          labels: { 'backstage.io/kubernetes-id': 'reviews' },
        },
        spec: { host: 'reviews', subsets: [] },
      }),
    );
    await eventually(() =>
      expect(second.events.map(e => e.type)).toContain('ADDED'),
    );
    expect(first.events.filter(e => e.type !== 'BOOKMARK')).toEqual([]);
    expect(first.done).toEqual([]);
  });

  it('ends without an error when the server ends the watch after timeoutSeconds', async () => {
    const watch = await record('services', {
      resourceVersion: sim.store.resourceVersion,
      timeoutSeconds: 1,
    });
    await eventually(() => expect(watch.done).toHaveLength(1));
    expect(watch.done[0]).toBeUndefined();
  });

  it('ends with the status when the watch is refused', async () => {
    sim.faults.add({ verb: 'watch', status: 403, times: 1 });
    const watch = await record('services', {
      resourceVersion: sim.store.resourceVersion,
    });
    await eventually(() => expect(watch.done).toHaveLength(1));
    expect(kubeStatusCode(watch.done[0])).toBe(403);
  });
});

describe('KubeClusterClient watching from a resourceVersion the server no longer has', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startKubeSim({
      manifestPaths: [DEMO_EAST],
      usersFile: USERS_FILE,
      watchWindow: 1,
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('sends an ERROR event with the 410 Gone status, then ends', async () => {
    const client = await KubeClusterClient.create({
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: 'demo-rollouts-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
    const events: Array<{ type: string; object: KubeObjectLike }> = [];
    const done: unknown[] = [];
    const handle = await client.watch(
      'virtualservices',
      {
        version: 'v1',
        labelSelector: REVIEWS,
        resourceVersion: '1',
        timeoutSeconds: 60,
      },
      (type, object) => events.push({ type, object }),
      err => done.push(err),
    );
    await eventually(() => expect(done).toHaveLength(1));
    handle.stop();
    expect(done[0]).toBeUndefined();
    expect(events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ code: 410 }) },
    ]);
  });
});
