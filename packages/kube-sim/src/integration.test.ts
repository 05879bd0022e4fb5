/*
 * Protocol compatibility: drives the simulator over HTTP with
 * @kubernetes/client-node itself, the client the Backstage backend uses.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { KubeSim, startKubeSim } from './index';

const GROUP = 'networking.istio.io';
const NS = 'bookinfo';
const ADMIN_TOKEN = 'demo-rollouts-token';
const VIEWER_TOKEN = 'demo-viewer-token';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: bookinfo }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo, labels: { app: reviews } }
spec:
  hosts: [reviews]
  http:
    - route:
        - { destination: { host: reviews, subset: v1 }, weight: 90 }
        - { destination: { host: reviews, subset: v2 }, weight: 10 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec: { host: reviews, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: bookinfo, labels: { app: reviews, version: v1 } }
spec:
  replicas: 3
  selector: { matchLabels: { app: reviews, version: v1 } }
  template:
    metadata: { labels: { app: reviews, version: v1 } }
    spec: { containers: [{ name: reviews, image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.2" }] }
status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 }
`;

const USERS = {
  users: [
    {
      name: 'backstage-istio-rollouts',
      token: ADMIN_TOKEN,
      rules: [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] },
      ],
    },
    {
      name: 'viewer',
      token: VIEWER_TOKEN,
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
      ],
    },
  ],
};

interface VirtualService extends KubernetesObject {
  spec: {
    hosts: string[];
    http: {
      route: {
        destination: { host: string; subset?: string };
        weight?: number;
      }[];
    }[];
  };
}

function kubeConfig(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server, skipTLSVerify: true }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'user' }],
    currentContext: 'sim',
  });
  return kc;
}

function vs(
  name: string,
  apiVersion: string,
  weights: number[],
  labels: Record<string, string> = { app: name },
): VirtualService {
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name, namespace: NS, labels },
    spec: {
      hosts: [name],
      http: [
        {
          route: weights.map((weight, i) => ({
            destination: { host: name, subset: `v${i + 1}` },
            weight,
          })),
        },
      ],
    },
  };
}

/** Resolves with the ApiException a call rejects with. */
async function apiError(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** The Status body of an ApiException (client-node leaves it as text). */
function statusOf(e: ApiException<string>) {
  return JSON.parse(e.body);
}

/** Calls the control API; a string body is sent as YAML, anything else as JSON. */
async function control(
  sim: KubeSim,
  method: string,
  path: string,
  body?: unknown,
) {
  const isText = typeof body === 'string';
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      'content-type': isText ? 'application/yaml' : 'application/json',
    },
    body:
      body === undefined || isText
        ? (body as string | undefined)
        : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('kube-sim through @kubernetes/client-node', () => {
  let sim: KubeSim;
  let custom: CustomObjectsApi;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let kc: KubeConfig;
  const rolls: number[] = [];

  beforeAll(async () => {
    sim = await startKubeSim({
      manifests: MANIFESTS,
      users: USERS,
      bookmarkIntervalMs: 20,
      random: () => (rolls.length ? rolls.shift()! : 0.99),
    });
    kc = kubeConfig(sim.url, ADMIN_TOKEN);
    custom = kc.makeApiClient(CustomObjectsApi);
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
  });

  afterAll(() => sim.close());

  afterEach(async () => {
    await control(sim, 'DELETE', '/_sim/faults');
  });

  describe.each(['v1', 'v1beta1', 'v1alpha3'])(
    'VirtualServices at %s',
    version => {
      const name = `ratings-${version}`;
      const apiVersion = `${GROUP}/${version}`;

      it('creates, gets, lists by label, replaces and deletes', async () => {
        const created = (await custom.createNamespacedCustomObject({
          group: GROUP,
          version,
          namespace: NS,
          plural: 'virtualservices',
          body: vs(name, apiVersion, [100], { app: 'ratings', track: version }),
        })) as VirtualService;
        expect(created.apiVersion).toBe(apiVersion);
        expect(created.metadata).toMatchObject({
          name,
          namespace: NS,
          generation: 1,
        });

        const got = (await custom.getNamespacedCustomObject({
          group: GROUP,
          version,
          namespace: NS,
          plural: 'virtualservices',
          name,
        })) as VirtualService;
        expect(got.metadata?.uid).toBe(created.metadata?.uid);

        const listed = await custom.listNamespacedCustomObject({
          group: GROUP,
          version,
          namespace: NS,
          plural: 'virtualservices',
          labelSelector: `app=ratings,track in (${version})`,
        });
        expect(
          listed.items.map((i: VirtualService) => i.metadata?.name),
        ).toEqual([name]);
        expect(listed.items[0].apiVersion).toBe(apiVersion);

        got.spec.http[0].route = [
          { destination: { host: name, subset: 'v1' }, weight: 50 },
          { destination: { host: name, subset: 'v2' }, weight: 50 },
        ];
        const replaced = (await custom.replaceNamespacedCustomObject({
          group: GROUP,
          version,
          namespace: NS,
          plural: 'virtualservices',
          name,
          body: got,
        })) as VirtualService;
        expect(replaced.metadata?.generation).toBe(2);
        expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
          Number(got.metadata?.resourceVersion),
        );

        const deleted = await custom.deleteNamespacedCustomObject({
          group: GROUP,
          version,
          namespace: NS,
          plural: 'virtualservices',
          name,
        });
        expect(deleted).toMatchObject({
          kind: 'Status',
          status: 'Success',
          details: { name, group: GROUP, kind: 'virtualservices' },
        });
        const missing = await apiError(
          custom.getNamespacedCustomObject({
            group: GROUP,
            version,
            namespace: NS,
            plural: 'virtualservices',
            name,
          }),
        );
        expect(missing.code).toBe(404);
        expect(statusOf(missing)).toMatchObject({
          reason: 'NotFound',
          message: `virtualservices.${GROUP} "${name}" not found`,
        });
      });
    },
  );

  it('reads an object created at v1beta1 at v1 and v1alpha3, and lists across namespaces', async () => {
    for (const version of ['v1', 'v1alpha3']) {
      const got = (await custom.getNamespacedCustomObject({
        group: GROUP,
        version,
        namespace: NS,
        plural: 'virtualservices',
        name: 'reviews',
      })) as VirtualService;
      expect(got.apiVersion).toBe(`${GROUP}/${version}`);
      expect(got.spec.http[0].route.map(r => r.weight)).toEqual([90, 10]);
    }
    const all = await custom.listClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'virtualservices',
    });
    expect(
      all.items.map(
        (i: VirtualService) => `${i.metadata?.namespace}/${i.metadata?.name}`,
      ),
    ).toContain('bookinfo/reviews');
  });

  it('lists Deployments with the status the manifests gave', async () => {
    const list = await apps.listNamespacedDeployment({
      namespace: NS,
      labelSelector: 'app=reviews',
    });
    expect(list.items.map(d => d.metadata?.name)).toEqual(['reviews-v1']);
    expect(list.items[0].status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(list.items[0].spec?.replicas).toBe(3);
  });

  it('lists, creates and reads namespaces', async () => {
    const before = await core.listNamespace();
    expect(before.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'bookinfo']),
    );
    const created = await core.createNamespace({
      body: { metadata: { name: 'canary-lab' } },
    });
    expect(created.status?.phase).toBe('Active');
    const read = await core.readNamespace({ name: 'canary-lab' });
    expect(read.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'canary-lab',
    });
    await core.deleteNamespace({ name: 'canary-lab' });
    expect(
      (await apiError(core.readNamespace({ name: 'canary-lab' }))).code,
    ).toBe(404);
  });

  describe('patch', () => {
    const name = 'patched';
    const target = {
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'virtualservices',
      name,
    };

    beforeEach(async () => {
      await control(
        sim,
        'POST',
        '/_sim/manifests',
        JSON.stringify(vs(name, `${GROUP}/v1`, [100, 0])),
      );
    });

    it('applies a JSON patch with test ops', async () => {
      const current = (await custom.getNamespacedCustomObject(
        target,
      )) as VirtualService;
      const patched = (await custom.patchNamespacedCustomObject(
        {
          ...target,
          body: [
            {
              op: 'test',
              path: '/metadata/resourceVersion',
              value: current.metadata?.resourceVersion,
            },
            { op: 'test', path: '/spec/http/0/route/0/weight', value: 100 },
            { op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 },
            { op: 'replace', path: '/spec/http/0/route/1/weight', value: 20 },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      )) as VirtualService;
      expect(patched.spec.http[0].route.map(r => r.weight)).toEqual([80, 20]);
    });

    it('answers a failed test op with 422 Invalid', async () => {
      const e = await apiError(
        custom.patchNamespacedCustomObject(
          {
            ...target,
            body: [
              { op: 'test', path: '/spec/http/0/route/0/weight', value: 42 },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      expect(e.code).toBe(422);
      expect(statusOf(e)).toMatchObject({
        kind: 'Status',
        reason: 'Invalid',
        code: 422,
      });
    });

    it('answers a stale resourceVersion replace op with 409 Conflict', async () => {
      const e = await apiError(
        custom.patchNamespacedCustomObject(
          {
            ...target,
            body: [
              { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      expect(e.code).toBe(409);
    });

    it('applies a merge patch', async () => {
      const before = (await custom.getNamespacedCustomObject(
        target,
      )) as VirtualService;
      const patched = (await custom.patchNamespacedCustomObject(
        {
          ...target,
          body: {
            metadata: { annotations: { 'rollouts.example.com/step': '2' } },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as VirtualService;
      expect(patched.metadata?.annotations).toEqual({
        'rollouts.example.com/step': '2',
      });
      // Metadata-only changes leave the generation alone.
      expect(patched.metadata?.generation).toBe(before.metadata?.generation);
      expect(patched.metadata?.resourceVersion).not.toBe(
        before.metadata?.resourceVersion,
      );
    });

    it('applies server-side and requires a field manager', async () => {
      const body = {
        apiVersion: `${GROUP}/v1`,
        kind: 'VirtualService',
        metadata: { name, namespace: NS },
        spec: {
          hosts: [name],
          http: [
            {
              route: [
                { destination: { host: name, subset: 'v2' }, weight: 100 },
              ],
            },
          ],
        },
      };
      const applied = (await custom.patchNamespacedCustomObject(
        { ...target, body, fieldManager: 'backstage-istio-rollouts' },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      )) as VirtualService;
      expect(applied.spec.http[0].route).toEqual([
        { destination: { host: name, subset: 'v2' }, weight: 100 },
      ]);
      const e = await apiError(
        custom.patchNamespacedCustomObject(
          { ...target, body },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        ),
      );
      expect(e.code).toBe(422);
      expect(statusOf(e).message).toContain('fieldManager: Required value');
    });

    it('rejects a patch that breaks an Istio webhook rule', async () => {
      const e = await apiError(
        custom.patchNamespacedCustomObject(
          {
            ...target,
            body: [
              { op: 'replace', path: '/spec/http/0/route/0/weight', value: 0 },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      expect(e.code).toBe(400);
      expect(statusOf(e)).toMatchObject({
        reason: 'BadRequest',
        details: {
          causes: [
            {
              field: 'spec.http[0].route',
              message: 'total destination weight = 0',
            },
          ],
        },
      });
    });
  });

  it('answers an update with a stale resourceVersion with 409 Conflict', async () => {
    const stale = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'virtualservices',
      name: 'reviews',
    })) as VirtualService;
    await custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        name: 'reviews',
        body: { metadata: { labels: { touched: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const e = await apiError(
      custom.replaceNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        name: 'reviews',
        body: stale,
      }),
    );
    expect(e.code).toBe(409);
    expect(statusOf(e)).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on virtualservices.networking.istio.io "reviews": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'reviews', group: GROUP, kind: 'virtualservices' },
    });
  });

  it('answers 422 for schema violations and 404 for a missing namespace', async () => {
    const bad = {
      ...vs('bad', `${GROUP}/v1`, [100]),
      spec: { hosts: 'bad', http: [] },
    };
    const e = await apiError(
      custom.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        body: bad,
      }),
    );
    expect(e.code).toBe(422);
    expect(statusOf(e).details.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": spec.hosts in body must be of type array: "string"',
        field: 'spec.hosts',
      },
    ]);
    const nowhere = await apiError(
      custom.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: 'nowhere',
        plural: 'virtualservices',
        body: { ...vs('x', `${GROUP}/v1`, [100]), metadata: { name: 'x' } },
      }),
    );
    expect(nowhere.code).toBe(404);
    expect(statusOf(nowhere).message).toBe('namespaces "nowhere" not found');
  });

  it('does not persist dryRun=All writes', async () => {
    const created = (await custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'virtualservices',
      body: vs('dry', `${GROUP}/v1`, [100]),
      dryRun: 'All',
    })) as VirtualService;
    expect(created.metadata?.name).toBe('dry');
    expect(
      (
        await apiError(
          custom.getNamespacedCustomObject({
            group: GROUP,
            version: 'v1',
            namespace: NS,
            plural: 'virtualservices',
            name: 'dry',
          }),
        )
      ).code,
    ).toBe(404);
  });

  it('answers 401 for an unknown token and 403 for a rule miss', async () => {
    const stranger = kubeConfig(sim.url, 'nope').makeApiClient(
      CustomObjectsApi,
    );
    const unauthorized = await apiError(
      stranger.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
      }),
    );
    expect(unauthorized.code).toBe(401);

    const viewer = kubeConfig(sim.url, VIEWER_TOKEN).makeApiClient(
      CustomObjectsApi,
    );
    const list = await viewer.listNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'virtualservices',
    });
    expect(list.items.length).toBeGreaterThan(0);
    const forbidden = await apiError(
      viewer.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'virtualservices',
          name: 'reviews',
          body: { metadata: { labels: { x: 'y' } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(forbidden.code).toBe(403);
    expect(statusOf(forbidden)).toMatchObject({
      reason: 'Forbidden',
      message:
        'virtualservices.networking.istio.io "reviews" is forbidden: User "viewer" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
    });
  });

  it('feeds an informer ADDED, MODIFIED and DELETED changes', async () => {
    const path = `/apis/${GROUP}/v1/namespaces/${NS}/virtualservices`;
    const informer = makeInformer<VirtualService>(kc, path, () =>
      custom.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
      }),
    );
    const seen: string[] = [];
    const waiters: { want: string; resolve: () => void }[] = [];
    const record = (kind: string) => (obj: VirtualService) => {
      if (obj.metadata?.name !== 'informed') return;
      const entry = `${kind}:${obj.spec.http[0].route[0].weight}`;
      seen.push(entry);
      waiters.filter(w => w.want === entry).forEach(w => w.resolve());
    };
    const next = (want: string) =>
      new Promise<void>(resolve =>
        seen.includes(want) ? resolve() : waiters.push({ want, resolve }),
      );
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    await informer.start();
    try {
      await custom.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        body: vs('informed', `${GROUP}/v1`, [100, 0]),
      });
      await next('add:100');
      await custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'virtualservices',
          name: 'informed',
          body: [
            { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      await next('update:70');
      await custom.deleteNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        name: 'informed',
      });
      await next('delete:70');
      expect(seen).toEqual(['add:100', 'update:70', 'delete:70']);
      expect(informer.get('informed', NS)).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });

  it('sends BOOKMARK events on a raw watch that allows them', async () => {
    const watch = new Watch(kc);
    let controller: AbortController | undefined;
    const bookmark = await new Promise<{
      type: string;
      object: KubernetesObject;
    }>((resolve, reject) => {
      watch
        .watch(
          `/apis/${GROUP}/v1beta1/namespaces/${NS}/virtualservices`,
          {
            allowWatchBookmarks: true,
            resourceVersion: sim.store.resourceVersion,
          },
          (type, object) => {
            if (type === 'BOOKMARK') resolve({ type, object });
          },
          err => (err ? reject(err) : undefined),
        )
        .then(c => (controller = c), reject);
    });
    controller?.abort();
    expect(bookmark.object).toEqual({
      kind: 'VirtualService',
      apiVersion: `${GROUP}/v1beta1`,
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
  });

  it('ends a watch after timeoutSeconds', async () => {
    const watch = new Watch(kc);
    const ended = await new Promise<unknown>(resolve => {
      watch.watch(
        `/api/v1/namespaces`,
        { timeoutSeconds: 1, resourceVersion: sim.store.resourceVersion },
        () => undefined,
        resolve,
      );
    });
    expect(ended).toBeNull();
  });

  it('pages lists with limit and continue', async () => {
    await control(
      sim,
      'POST',
      '/_sim/manifests',
      ['p1', 'p2', 'p3', 'p4', 'p5']
        .map(n =>
          JSON.stringify({
            ...vs(n, `${GROUP}/v1`, [100], { paging: 'yes' }),
            metadata: {
              name: n,
              namespace: 'paging',
              labels: { paging: 'yes' },
            },
          }),
        )
        .join('\n---\n'),
    );
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    let rv: string | undefined;
    do {
      const page = await custom.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: 'paging',
        plural: 'virtualservices',
        limit: 2,
        _continue: cont,
      });
      names.push(...page.items.map((i: VirtualService) => i.metadata!.name!));
      rv = rv ?? page.metadata.resourceVersion;
      expect(page.metadata.resourceVersion).toBe(rv);
      cont = page.metadata.continue || undefined;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  describe('faults and the request log', () => {
    const get = () =>
      custom.getNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        name: 'reviews',
      });

    it('answers an injected status with a Status body, `times` times', async () => {
      const { status, body } = await control(sim, 'POST', '/_sim/faults', {
        verb: 'get',
        resource: 'virtualservices',
        status: 503,
        times: 2,
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        id: expect.any(String),
        status: 503,
        times: 2,
      });
      for (let i = 0; i < 2; i++) {
        const e = await apiError(get());
        expect(e.code).toBe(503);
        expect(statusOf(e)).toMatchObject({
          kind: 'Status',
          reason: 'ServiceUnavailable',
          code: 503,
        });
      }
      expect((await get()) as VirtualService).toMatchObject({
        metadata: { name: 'reviews' },
      });
    });

    it('only faults matching requests', async () => {
      await control(sim, 'POST', '/_sim/faults', {
        verb: 'patch',
        namespace: 'elsewhere',
        status: 500,
      });
      expect(((await get()) as VirtualService).metadata?.name).toBe('reviews');
    });

    it('delays requests with latencyMs and records the fault in the log', async () => {
      const { body: fault } = await control(sim, 'POST', '/_sim/faults', {
        verb: 'list',
        latencyMs: 25,
        times: 1,
      });
      await control(sim, 'DELETE', '/_sim/requests');
      const list = await custom.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
      });
      expect(list.items.length).toBeGreaterThan(0);
      const { body: log } = await control(sim, 'GET', '/_sim/requests');
      expect(log).toEqual([
        expect.objectContaining({
          verb: 'list',
          status: 200,
          faults: [fault.id],
        }),
      ]);
    });

    it('drops the connection without an answer', async () => {
      await control(sim, 'POST', '/_sim/faults', {
        verb: 'get',
        resource: 'virtualservices',
        drop: true,
        times: 1,
      });
      await expect(get()).rejects.not.toBeInstanceOf(ApiException);
      await expect(get()).resolves.toMatchObject({
        metadata: { name: 'reviews' },
      });
    });

    describe('with `after`: the write is made, then its answer', () => {
      const patch = (v1 = 70, v2 = 30) =>
        custom.patchNamespacedCustomObject(
          {
            group: GROUP,
            version: 'v1',
            namespace: NS,
            plural: 'virtualservices',
            name: 'reviews',
            body: [
              { op: 'replace', path: '/spec/http/0/route/0/weight', value: v1 },
              { op: 'replace', path: '/spec/http/0/route/1/weight', value: v2 },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        );
      const weights = async () =>
        ((await get()) as VirtualService).spec!.http![0].route!.map(
          r => r.weight,
        );

      afterEach(async () => {
        await control(sim, 'DELETE', '/_sim/faults');
        await patch(90, 10);
      });

      it('is dropped: the change is stored, the client gets no answer', async () => {
        await control(sim, 'POST', '/_sim/faults', {
          verb: 'patch',
          drop: true,
          after: true,
          times: 1,
        });
        await control(sim, 'DELETE', '/_sim/requests');
        await expect(patch()).rejects.not.toBeInstanceOf(ApiException);
        expect(await weights()).toEqual([70, 30]);
        const { body: log } = await control(sim, 'GET', '/_sim/requests');
        expect(log[0]).toMatchObject({ verb: 'patch', status: 0 });
      });

      it('is replaced by the status: the change is stored, the client gets the error', async () => {
        await control(sim, 'POST', '/_sim/faults', {
          verb: 'patch',
          status: 503,
          after: true,
          times: 1,
        });
        await expect(patch()).rejects.toMatchObject({ code: 503 });
        expect(await weights()).toEqual([70, 30]);
      });

      it('is delayed: the change is stored before the answer leaves', async () => {
        await control(sim, 'POST', '/_sim/faults', {
          verb: 'patch',
          latencyMs: 300,
          after: true,
          times: 1,
        });
        const pending = patch();
        await new Promise(resolve => setTimeout(resolve, 100));
        const stored = sim.store
          .all()
          .map(e => e.object)
          .find(
            o => o.kind === 'VirtualService' && o.metadata.name === 'reviews',
          );
        expect(
          (stored!.spec as any).http[0].route.map((r: any) => r.weight),
        ).toEqual([70, 30]);
        await expect(pending).resolves.toMatchObject({
          metadata: { name: 'reviews' },
        });
      });
    });

    it('applies a fault to a fraction of matching requests', async () => {
      await control(sim, 'POST', '/_sim/faults', {
        verb: 'get',
        resource: 'virtualservices',
        status: 500,
        fraction: 0.5,
      });
      rolls.push(0.2, 0.7, 0.4, 0.9);
      const outcomes: number[] = [];
      for (let i = 0; i < 4; i++) {
        outcomes.push(
          await get().then(
            () => 200,
            (e: ApiException<string>) => e.code,
          ),
        );
      }
      expect(outcomes).toEqual([500, 200, 500, 200]);
    });

    it('logs method, path, query, content type, write body, status and user', async () => {
      await control(sim, 'DELETE', '/_sim/requests');
      await custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'virtualservices',
          name: 'reviews',
          body: { metadata: { labels: { logged: 'yes' } } },
          fieldManager: 'rollouts',
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const viewer = kubeConfig(sim.url, VIEWER_TOKEN).makeApiClient(
        CustomObjectsApi,
      );
      await viewer.listNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'virtualservices',
        labelSelector: 'app=reviews',
      });
      const { body: log } = await control(sim, 'GET', '/_sim/requests');
      expect(log).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          path: `/apis/${GROUP}/v1/namespaces/${NS}/virtualservices/reviews`,
          query: { fieldManager: 'rollouts' },
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { logged: 'yes' } } },
          status: 200,
          user: 'backstage-istio-rollouts',
          verb: 'patch',
          resource: 'virtualservices',
          namespace: NS,
          name: 'reviews',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
        expect.objectContaining({
          method: 'GET',
          query: { labelSelector: 'app=reviews' },
          status: 200,
          user: 'viewer',
          verb: 'list',
        }),
      ]);
      expect(log[1].body).toBeUndefined();
      await control(sim, 'DELETE', '/_sim/requests');
      expect((await control(sim, 'GET', '/_sim/requests')).body).toEqual([]);
    });
  });
});

describe('kube-sim watch window', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ watchWindow: 2 });
  });
  afterAll(() => sim.close());

  it('sends 410 Expired for a too-old resourceVersion to a raw Watch', async () => {
    const start = sim.store.resourceVersion;
    sim.loadManifests(
      ['a', 'b', 'c']
        .map(n => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${n}}\n`)
        .join('---\n'),
    );
    const kc = kubeConfig(sim.url, 'unused');
    const events: {
      type: string;
      object: { code?: number; reason?: string };
    }[] = [];
    const done = await new Promise<unknown>(resolve => {
      new Watch(kc).watch(
        '/api/v1/namespaces',
        { resourceVersion: start },
        (type, object) => events.push({ type, object }),
        resolve,
      );
    });
    expect(done).toBeNull();
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          status: 'Failure',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(/^too old resource version/),
        }),
      },
    ]);
  });
});

describe('kube-sim /_sim/manifests', () => {
  let sim: KubeSim;
  let custom: CustomObjectsApi;
  beforeAll(async () => {
    sim = await startKubeSim({ manifests: MANIFESTS });
    custom = kubeConfig(sim.url, 'any').makeApiClient(CustomObjectsApi);
  });
  afterAll(() => sim.close());

  it('POST creates or replaces the objects given and emits watch events', async () => {
    const events: string[] = [];
    const watch = new Watch(kubeConfig(sim.url, 'any'));
    const controller = await watch.watch(
      `/apis/${GROUP}/v1/namespaces/${NS}/virtualservices`,
      { resourceVersion: sim.store.resourceVersion },
      (type, obj: VirtualService) =>
        events.push(
          `${type} ${obj.metadata?.name} ${obj.spec.http[0].route[0].weight}`,
        ),
      () => undefined,
    );
    const before = Number(sim.store.resourceVersion);
    const { status, body } = await control(
      sim,
      'POST',
      '/_sim/manifests',
      [
        JSON.stringify(vs('reviews', `${GROUP}/v1`, [50, 50])),
        JSON.stringify(vs('extra', `${GROUP}/v1`, [100])),
      ].join('\n---\n'),
    );
    expect(status).toBe(200);
    expect(
      body.objects.map(
        (o: { action: string; name: string }) => `${o.action} ${o.name}`,
      ),
    ).toEqual(['updated reviews', 'created extra']);
    expect(Number(body.resourceVersion)).toBe(before + 2);
    const got = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'virtualservices',
      name: 'reviews',
    })) as VirtualService;
    expect(got.spec.http[0].route.map(r => r.weight)).toEqual([50, 50]);
    // The watch saw both writes; poll the list of events through a request round trip.
    await new Promise<void>(resolve => {
      const check = () =>
        events.length >= 2 ? resolve() : setImmediate(check);
      check();
    });
    controller.abort();
    expect(events).toEqual(['MODIFIED reviews 50', 'ADDED extra 100']);
  });

  it('PUT replaces every object', async () => {
    const { status, body } = await control(
      sim,
      'PUT',
      '/_sim/manifests',
      `apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: { name: public, namespace: edge }
spec: { servers: [{ hosts: ["*"], port: { number: 80, name: http, protocol: HTTP } }] }
`,
    );
    expect(status).toBe(200);
    expect(
      body.objects
        .filter((o: { action: string }) => o.action === 'deleted')
        .map((o: { kind: string }) => o.kind)
        .sort(),
    ).toEqual([
      'Deployment',
      'DestinationRule',
      'Namespace',
      'VirtualService',
      'VirtualService',
    ]);
    const all = await custom.listClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'virtualservices',
    });
    expect(all.items).toEqual([]);
    const gw = await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1beta1',
      namespace: 'edge',
      plural: 'gateways',
      name: 'public',
    });
    expect(gw).toMatchObject({
      apiVersion: `${GROUP}/v1beta1`,
      kind: 'Gateway',
    });
  });

  it('answers invalid manifests with the Status and changes nothing', async () => {
    const before = sim.store.resourceVersion;
    const { status, body } = await control(
      sim,
      'PUT',
      '/_sim/manifests',
      JSON.stringify({ ...vs('neg', `${GROUP}/v1`, [-1]) }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(
      (await control(sim, 'POST', '/_sim/manifests', 'not: [yaml')).status,
    ).toBe(400);
    expect(sim.store.resourceVersion).toBe(before);
  });
});
