/*
 * The HTTP surface with plain fetch: discovery, routing errors, auth on
 * discovery, the control API, and watch streaming details.
 */
import * as http from 'node:http';
import { KubeSim, startKubeSim } from './index';

const USERS = [
  {
    name: 'admin',
    token: 'admin-token',
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  },
  { name: 'nobody', token: 'nobody-token', rules: [] },
];

async function call(
  sim: KubeSim,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined)
    headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body:
      opts.body === undefined || typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
    json,
  };
}

/** Reads watch lines until `count` events arrived, then closes the request. */
function readWatch(
  url: string,
  count: number,
): Promise<{ type: string; object: any }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; object: any }[] = [];
    const req = http.get(
      url,
      { headers: { authorization: 'Bearer admin-token' } },
      res => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            events.push(JSON.parse(buffer.slice(0, i)));
            buffer = buffer.slice(i + 1);
            if (events.length === count) {
              req.destroy();
              resolve(events);
            }
          }
        });
        res.on('end', () => resolve(events));
      },
    );
    req.on('error', err => (events.length === count ? undefined : reject(err)));
  });
}

/** Resolves once `sim` has started serving a watch (logged right as it subscribes). */
function watchStarted(sim: KubeSim, count = 1): Promise<void> {
  return new Promise(resolve => {
    const check = () =>
      sim.requests.list().filter(e => e.verb === 'watch').length >= count
        ? resolve()
        : setImmediate(check);
    check();
  });
}

describe('kube-sim HTTP server', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ users: USERS, bookmarkIntervalMs: 10 });
  });
  afterAll(() => sim.close());

  it('serves discovery to any authenticated user', async () => {
    const api = await call(sim, 'GET', '/api', { token: 'nobody-token' });
    expect(api.status).toBe(200);
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await call(sim, 'GET', '/apis', { token: 'nobody-token' });
    expect(apis.json.groups.map((g: { name: string }) => g.name)).toEqual([
      'apps',
      'networking.istio.io',
      'argoproj.io',
      'kustomize.toolkit.fluxcd.io',
      'source.toolkit.fluxcd.io',
    ]);
    const group = await call(sim, 'GET', '/apis/networking.istio.io', {
      token: 'nobody-token',
    });
    expect(group.json).toMatchObject({
      kind: 'APIGroup',
      preferredVersion: { version: 'v1' },
    });
    const resources = await call(
      sim,
      'GET',
      '/apis/networking.istio.io/v1alpha3',
      { token: 'nobody-token' },
    );
    expect(resources.json).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'networking.istio.io/v1alpha3',
    });
    expect((await call(sim, 'GET', '/apis')).status).toBe(401);
  });

  it('answers /version and health without a token', async () => {
    expect((await call(sim, 'GET', '/version')).json).toMatchObject({
      major: '1',
      gitVersion: expect.stringMatching(/^v1\./),
    });
    expect((await call(sim, 'GET', '/readyz')).text).toBe('ok');
  });

  it('answers unknown paths, resources and methods like the API server', async () => {
    const page = await call(sim, 'GET', '/nope', { token: 'admin-token' });
    expect(page.status).toBe(404);
    expect(page.text).toBe('404 page not found\n');
    const resource = await call(
      sim,
      'GET',
      '/apis/networking.istio.io/v1/namespaces/default/sidecars',
      { token: 'admin-token' },
    );
    expect(resource.json).toMatchObject({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    const method = await call(sim, 'POST', '/api/v1/namespaces/default', {
      token: 'admin-token',
      body: {},
    });
    expect(method.json).toMatchObject({
      kind: 'Status',
      code: 405,
      reason: 'MethodNotAllowed',
    });
    const unauth = await call(sim, 'GET', '/api/v1/namespaces', {
      token: 'wrong',
    });
    expect(unauth.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const forbidden = await call(sim, 'GET', '/api/v1/namespaces', {
      token: 'nobody-token',
    });
    expect(forbidden.json.message).toBe(
      'namespaces is forbidden: User "nobody" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('answers JSON with the Status shape for bad bodies and accepts YAML bodies', async () => {
    const bad = await call(sim, 'POST', '/api/v1/namespaces', {
      token: 'admin-token',
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const yaml = await call(sim, 'POST', '/api/v1/namespaces', {
      token: 'admin-token',
      body: 'metadata:\n  name: from-yaml\n',
      contentType: 'application/yaml',
    });
    expect(yaml.status).toBe(201);
    expect(yaml.contentType).toBe('application/json');
  });

  it('streams live changes filtered by selector, one JSON object per line', async () => {
    sim.requests.clear();
    const watching = readWatch(
      `${sim.url}/api/v1/namespaces?watch=1&labelSelector=team%3Dcanary`,
      2,
    );
    await watchStarted(sim);
    await call(sim, 'POST', '/api/v1/namespaces', {
      token: 'admin-token',
      body: { metadata: { name: 'other' } },
    });
    await call(sim, 'POST', '/api/v1/namespaces', {
      token: 'admin-token',
      body: { metadata: { name: 'canary-a', labels: { team: 'canary' } } },
    });
    await call(sim, 'DELETE', '/api/v1/namespaces/canary-a', {
      token: 'admin-token',
    });
    const events = await watching;
    expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED canary-a',
      'DELETED canary-a',
    ]);
    // The client went away: the watch must unsubscribe from the store.
    await new Promise<void>(resolve => {
      const check = () =>
        sim.store.subscriberCount === 0 ? resolve() : setImmediate(check);
      check();
    });
    expect(events[0].object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
    });
  });

  it('sends periodic bookmarks only when allowed', async () => {
    const [bookmark] = await readWatch(
      `${sim.url}/api/v1/namespaces?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.store.resourceVersion}`,
      1,
    );
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { resourceVersion: sim.store.resourceVersion },
      },
    });
  });

  it('answers a watch with a bad selector as an ordinary error', async () => {
    const r = await call(
      sim,
      'GET',
      '/api/v1/namespaces?watch=1&labelSelector=a%20in%20(',
      { token: 'admin-token' },
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('ends open watches on close', async () => {
    const other = await startKubeSim();
    const events = readWatch(`${other.url}/api/v1/namespaces?watch=1`, 99);
    await watchStarted(other);
    await other.close();
    // Without a resourceVersion the stream starts with a synthetic ADDED per object.
    expect((await events).map(e => e.object.metadata.name)).toEqual([
      'default',
    ]);
  });

  it('ends the open watches a new fault fails, as an API server that goes down does, and only those', async () => {
    const other = await startKubeSim();
    try {
      const namespaces = readWatch(
        `${other.url}/api/v1/namespaces?watch=1`,
        99,
      );
      await watchStarted(other);
      // A fault for other requests leaves the stream open…
      await call(other, 'POST', '/_sim/faults', {
        body: { verb: 'get', status: 500 },
      });
      await call(other, 'POST', '/_sim/faults', {
        body: { resource: 'pods', status: 503 },
      });
      expect(other.store.subscriberCount).toBe(1);
      // …one that fails every request ends it: the client must come back, and meets the fault.
      await call(other, 'POST', '/_sim/faults', { body: { status: 503 } });
      expect((await namespaces).map(e => e.object.metadata.name)).toEqual([
        'default',
      ]);
      const again = await call(other, 'GET', '/api/v1/namespaces?watch=1');
      expect(again.status).toBe(503);
    } finally {
      await other.close();
    }
  });

  describe('control API', () => {
    it('is never subject to auth or faults, and is not logged', async () => {
      await call(sim, 'DELETE', '/_sim/requests');
      const fault = await call(sim, 'POST', '/_sim/faults', {
        body: { status: 500 },
      });
      expect(fault.status).toBe(201);
      expect((await call(sim, 'GET', '/_sim/faults')).json).toEqual([
        fault.json,
      ]);
      expect(
        (await call(sim, 'GET', '/api/v1/namespaces', { token: 'admin-token' }))
          .status,
      ).toBe(500);
      expect((await call(sim, 'GET', '/_sim/objects')).status).toBe(200);
      expect(
        (await call(sim, 'DELETE', `/_sim/faults/${fault.json.id}`)).json,
      ).toEqual({ deleted: 1 });
      expect(
        (await call(sim, 'DELETE', `/_sim/faults/${fault.json.id}`)).status,
      ).toBe(404);
      const log = (await call(sim, 'GET', '/_sim/requests')).json;
      expect(
        log.map(
          (e: { path: string; status: number }) => `${e.path} ${e.status}`,
        ),
      ).toEqual(['/api/v1/namespaces 500']);
    });

    it('rejects invalid faults and unknown endpoints', async () => {
      expect(
        await call(sim, 'POST', '/_sim/faults', {
          body: { verb: 'explode', status: 500 },
        }),
      ).toMatchObject({
        status: 400,
        json: { error: expect.stringContaining('verb must be one of') },
      });
      expect(
        (await call(sim, 'POST', '/_sim/faults', { body: '{' })).status,
      ).toBe(400);
      expect((await call(sim, 'GET', '/_sim/nothing')).status).toBe(404);
      expect((await call(sim, 'DELETE', '/_sim/faults')).json).toEqual({
        deleted: 0,
      });
    });

    it('deletes collections by selector', async () => {
      await call(sim, 'POST', '/_sim/manifests', {
        body: ['a', 'b']
          .map(
            n =>
              `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}, namespace: shop, labels: {tier: web}}\nspec: {replicas: 1}\n`,
          )
          .join('---\n'),
        contentType: 'application/yaml',
      });
      const r = await call(
        sim,
        'DELETE',
        '/apis/apps/v1/namespaces/shop/deployments?labelSelector=tier%3Dweb',
        { token: 'admin-token' },
      );
      expect(r.json).toMatchObject({
        kind: 'DeploymentList',
        items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
      });
      expect(
        (
          await call(sim, 'GET', '/apis/apps/v1/namespaces/shop/deployments', {
            token: 'admin-token',
          })
        ).json.items,
      ).toEqual([]);
    });
  });
});

describe('kube-sim keep-alive connections', () => {
  /** GET over `agent`; resolves with the answer once the socket is back in the agent's pool. */
  function get(agent: http.Agent, url: string) {
    return new Promise<{
      req: http.ClientRequest;
      res: http.IncomingMessage;
      socket: import('node:net').Socket;
      body: string;
    }>((resolve, reject) => {
      const req = http.get(url, { agent }, res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          agent.once('free', socket => resolve({ req, res, socket, body })),
        );
      });
      req.on('error', reject);
    });
  }

  it('keeps idle connections open for reuse, and close() still ends them at once', async () => {
    const sim = await startKubeSim();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent, `${sim.url}/version`);
      expect(JSON.parse(first.body)).toMatchObject({ major: '1' });
      // Node announces the server's keepAliveTimeout (5 s by default).
      expect(first.res.headers.connection).toBe('keep-alive');
      expect(first.res.headers['keep-alive']).toBe('timeout=90');

      const second = await get(agent, `${sim.url}/healthz`);
      expect(second.req.reusedSocket).toBe(true);
      expect(second.socket).toBe(first.socket);

      // The connection is idle in the agent's pool; closing must not wait for it.
      expect(second.socket.destroyed).toBe(false);
      const socketClosed = new Promise<void>(resolve =>
        second.socket.once('close', () => resolve()),
      );
      await sim.close();
      await socketClosed;
      expect(second.socket.destroyed).toBe(true);
    } finally {
      agent.destroy();
      await sim.close();
    }
  });
});
