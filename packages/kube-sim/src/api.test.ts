import { ApiRequest, KubeApi, Verb, WatchEvent } from './api';
import { parseManifests } from './manifests';
import { KubeObject } from './objects';
import { findResource, ResourceType } from './resources';
import { KubeApiError, Status } from './status';
import { Store } from './store';
import { loadValidator, Validator } from './validation';

const VS = findResource('networking.istio.io', 'v1', 'virtualservices')!;
const DEPLOY = findResource('apps', 'v1', 'deployments')!;
const NS = findResource('', 'v1', 'namespaces')!;
const POD = findResource('', 'v1', 'pods')!;

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
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: bookinfo, labels: { app: reviews } }
spec: { replicas: 2, selector: { matchLabels: { app: reviews } }, template: { metadata: { labels: { app: reviews } } } }
status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 }
`;

let validator: Validator;
beforeAll(async () => {
  validator = await loadValidator();
});

function setup(watchWindow?: number) {
  const store = new Store({ watchWindow });
  const api = new KubeApi(store, validator);
  api.ensureDefaultNamespace();
  api.applyManifests(parseManifests(MANIFESTS), { replace: false });
  return { store, api };
}

function req(
  verb: Verb,
  type: ResourceType,
  opts: Omit<Partial<ApiRequest>, 'query'> & {
    query?: Record<string, string>;
    json?: unknown;
  } = {},
): ApiRequest {
  const { query, json, ...rest } = opts;
  return {
    verb,
    type,
    version: 'v1',
    namespace: type.namespaced ? 'bookinfo' : undefined,
    query: new URLSearchParams(query ?? {}),
    contentType: 'application/json',
    body: json === undefined ? undefined : JSON.stringify(json),
    ...rest,
  };
}

function fail(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeApiError) return e.status;
    throw e;
  }
  throw new Error('expected a KubeApiError');
}

function vsBody(name: string, weights: number[] = [100]) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name },
    spec: {
      hosts: [name],
      http: [
        {
          route: weights.map((w, i) => ({
            destination: { host: name, subset: `v${i + 1}` },
            weight: w,
          })),
        },
      ],
    },
  };
}

describe('KubeApi', () => {
  it('serves one object at every Istio version, rewriting apiVersion', () => {
    const { api } = setup();
    for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
      const r = api.handle(req('get', VS, { version, name: 'reviews' }));
      expect(r.body).toMatchObject({
        apiVersion: `networking.istio.io/${version}`,
        kind: 'VirtualService',
      });
    }
  });

  it('creates with 201, defaults status and refuses a missing namespace', () => {
    const { api } = setup();
    const r = api.handle(req('create', VS, { json: vsBody('ratings') }));
    expect(r.code).toBe(201);
    expect((r.body as KubeObject).metadata).toMatchObject({
      name: 'ratings',
      namespace: 'bookinfo',
      generation: 1,
    });
    expect(
      fail(() =>
        api.handle(
          req('create', VS, { namespace: 'nowhere', json: vsBody('x') }),
        ),
      ),
    ).toMatchObject({
      code: 404,
      message: 'namespaces "nowhere" not found',
      details: { name: 'nowhere', kind: 'namespaces' },
    });
    expect(
      fail(() => api.handle(req('create', VS, { json: vsBody('ratings') })))
        .reason,
    ).toBe('AlreadyExists');
  });

  it('checks the body against the URL', () => {
    const { api } = setup();
    expect(
      fail(() =>
        api.handle(
          req('create', VS, {
            json: { ...vsBody('a'), apiVersion: 'networking.istio.io/v1beta1' },
          }),
        ),
      ).message,
    ).toBe(
      'the API version in the data (networking.istio.io/v1beta1) does not match the expected API version (networking.istio.io/v1)',
    );
    expect(
      fail(() =>
        api.handle(
          req('create', VS, {
            json: { ...vsBody('a'), metadata: { name: 'a', namespace: 'x' } },
          }),
        ),
      ).message,
    ).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    expect(
      fail(() =>
        api.handle(
          req('update', VS, { name: 'reviews', json: vsBody('other') }),
        ),
      ).message,
    ).toBe(
      'the name of the object (other) does not match the name on the URL (reviews)',
    );
    expect(
      fail(() => api.handle(req('create', VS, { body: 'nope' }))).code,
    ).toBe(400);
    expect(
      fail(() =>
        api.handle(
          req('create', VS, {
            json: {
              ...vsBody('a'),
              metadata: { name: 'a', resourceVersion: '3' },
            },
          }),
        ),
      ).code,
    ).toBe(400);
  });

  it('generates names from generateName', () => {
    const { api } = setup();
    const r = api.handle(
      req('create', VS, {
        json: { ...vsBody(''), metadata: { generateName: 'canary-' } },
      }),
    );
    expect((r.body as KubeObject).metadata.name).toMatch(
      /^canary-[a-z0-9]{5}$/,
    );
  });

  it('does not persist dry runs', () => {
    const { api, store } = setup();
    const before = store.resourceVersion;
    expect(
      api.handle(
        req('create', VS, { json: vsBody('dry'), query: { dryRun: 'All' } }),
      ).code,
    ).toBe(201);
    expect(store.get(VS, 'bookinfo', 'dry')).toBeUndefined();
    expect(store.resourceVersion).toBe(before);
    expect(
      fail(() =>
        api.handle(
          req('create', VS, { json: vsBody('dry'), query: { dryRun: 'Some' } }),
        ),
      ).code,
    ).toBe(400);
  });

  it('requires resourceVersion on custom-resource updates, not on built-ins', () => {
    const { api } = setup();
    expect(
      fail(() =>
        api.handle(
          req('update', VS, { name: 'reviews', json: vsBody('reviews') }),
        ),
      ),
    ).toMatchObject({
      code: 422,
      message:
        'VirtualService.networking.istio.io "reviews" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    });
    const d = api.handle(req('get', DEPLOY, { name: 'reviews-v1' }))
      .body as KubeObject;
    const { resourceVersion: _, ...meta } = d.metadata;
    expect(
      api.handle(
        req('update', DEPLOY, {
          name: 'reviews-v1',
          json: { ...d, metadata: meta },
        }),
      ).code,
    ).toBe(200);
  });

  it('keeps status on main-resource writes and only changes status through /status', () => {
    const { api } = setup();
    const d = api.handle(req('get', DEPLOY, { name: 'reviews-v1' }))
      .body as KubeObject;
    const spec = { ...(d.spec as object), replicas: 3 };
    const updated = api.handle(
      req('update', DEPLOY, {
        name: 'reviews-v1',
        json: { ...d, spec, status: { replicas: 99 } },
      }),
    ).body as KubeObject;
    expect(updated.status).toEqual({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(updated.metadata.generation).toBe(2);
    const viaStatus = api.handle(
      req('patch', DEPLOY, {
        name: 'reviews-v1',
        subresource: 'status',
        contentType: 'application/merge-patch+json',
        json: { spec: { replicas: 7 }, status: { readyReplicas: 3 } },
      }),
    ).body as KubeObject;
    expect(viaStatus.status).toMatchObject({ replicas: 2, readyReplicas: 3 });
    expect((viaStatus.spec as { replicas: number }).replicas).toBe(3);
    expect(viaStatus.metadata.generation).toBe(2);
  });

  it('patches with JSON patch, including resourceVersion concurrency checks', () => {
    const { api } = setup();
    const current = api.handle(req('get', VS, { name: 'reviews' }))
      .body as KubeObject;
    const rv = current.metadata.resourceVersion;
    const patch = (ops: unknown) =>
      api.handle(
        req('patch', VS, {
          name: 'reviews',
          contentType: 'application/json-patch+json',
          json: ops,
        }),
      );
    const ok = patch([
      { op: 'test', path: '/metadata/resourceVersion', value: rv },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
    ]).body as KubeObject;
    expect(ok.metadata.generation).toBe(2);
    expect(
      fail(() =>
        patch([{ op: 'test', path: '/metadata/resourceVersion', value: rv }]),
      ),
    ).toMatchObject({
      // A failed test is a failed test, even of the resourceVersion: 422, as on a real server.
      code: 422,
      reason: 'Invalid',
    });
    expect(
      fail(() =>
        patch([
          { op: 'replace', path: '/metadata/resourceVersion', value: rv },
        ]),
      ).code,
    ).toBe(409);
    expect(
      fail(() =>
        patch([{ op: 'test', path: '/spec/http/0/route/0/weight', value: 90 }]),
      ),
    ).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
    expect(
      fail(() =>
        patch([
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: -5 },
        ]),
      ).message,
    ).toContain('weight -5 < 0');
  });

  it('patches with merge patch and checks a resourceVersion in the body', () => {
    const { api } = setup();
    const merge = (
      json: unknown,
      contentType = 'application/merge-patch+json',
    ) => api.handle(req('patch', VS, { name: 'reviews', contentType, json }));
    const r = merge({ metadata: { labels: { canary: 'true' } } })
      .body as KubeObject;
    expect(r.metadata.labels).toEqual({ app: 'reviews', canary: 'true' });
    expect(
      fail(() =>
        merge({ metadata: { resourceVersion: '1' }, spec: { hosts: ['x'] } }),
      ).code,
    ).toBe(409);
    expect(fail(() => merge({ spec: { hosts: 'x' } })).code).toBe(422);
    // Custom resources do not support strategic merge patch.
    expect(
      fail(() => merge({}, 'application/strategic-merge-patch+json')),
    ).toMatchObject({
      code: 415,
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
    expect(fail(() => merge({}, 'application/json')).code).toBe(415);
    const d = api.handle(
      req('patch', DEPLOY, {
        name: 'reviews-v1',
        contentType: 'application/strategic-merge-patch+json',
        json: { spec: { replicas: 4 } },
      }),
    ).body as KubeObject;
    expect((d.spec as { replicas: number }).replicas).toBe(4);
  });

  it('applies server-side: requires fieldManager, creates when absent, merges when present', () => {
    const { api } = setup();
    const apply = (
      name: string,
      body: string,
      query: Record<string, string> = { fieldManager: 'rollouts' },
    ) =>
      api.handle(
        req('patch', VS, {
          name,
          contentType: 'application/apply-patch+yaml',
          body,
          query,
        }),
      );
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: details
spec:
  hosts: [details]
  http:
    - route:
        - destination: { host: details }
`;
    expect(fail(() => apply('details', yaml, {}))).toMatchObject({
      code: 422,
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
    expect(apply('details', yaml).code).toBe(201);
    const merged = apply(
      'details',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: details\n  labels: {a: b}\n',
    );
    expect(merged.code).toBe(200);
    expect(merged.body).toMatchObject({
      metadata: { labels: { a: 'b' } },
      spec: { hosts: ['details'] },
    });
    expect(fail(() => apply('other', yaml)).code).toBe(400);
  });

  it('answers delete with a Status for custom resources and deployments, the object for pods', () => {
    const { api } = setup();
    const r = api.handle(req('delete', VS, { name: 'reviews' }));
    expect(r.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: {
        name: 'reviews',
        group: 'networking.istio.io',
        kind: 'virtualservices',
      },
    });
    expect(
      fail(() => api.handle(req('delete', VS, { name: 'reviews' }))).message,
    ).toBe('virtualservices.networking.istio.io "reviews" not found');
    api.handle(
      req('create', POD, {
        json: { metadata: { name: 'p' }, spec: { containers: [] } },
      }),
    );
    expect(api.handle(req('delete', POD, { name: 'p' })).body).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'p' },
    });
  });

  it('deletes a namespace with its contents and protects default', () => {
    const { api, store } = setup();
    const r = api.handle(req('delete', NS, { name: 'bookinfo' }));
    expect(r.body).toMatchObject({
      kind: 'Namespace',
      status: { phase: 'Terminating' },
    });
    expect(store.list(VS)).toEqual([]);
    expect(store.list(DEPLOY)).toEqual([]);
    expect(
      fail(() => api.handle(req('delete', NS, { name: 'default' }))).code,
    ).toBe(403);
  });

  it('deletes collections by selector', () => {
    const { api, store } = setup();
    api.handle(
      req('create', VS, {
        json: {
          ...vsBody('keep'),
          metadata: { name: 'keep', labels: { app: 'keep' } },
        },
      }),
    );
    const r = api.handle(
      req('deletecollection', VS, { query: { labelSelector: 'app=reviews' } }),
    );
    expect(
      (r.body as { items: KubeObject[] }).items.map(i => i.metadata.name),
    ).toEqual(['reviews']);
    expect(store.list(VS).map(o => o.metadata.name)).toEqual(['keep']);
  });

  it('lists with selectors and pages with an opaque continue token', () => {
    const { api } = setup();
    for (const n of ['a', 'b', 'c', 'd']) {
      api.handle(
        req('create', VS, {
          json: {
            ...vsBody(n),
            metadata: { name: n, labels: { app: n === 'c' ? 'x' : 'pg' } },
          },
        }),
      );
    }
    const list = (query: Record<string, string>, namespace?: string) =>
      api.handle(req('list', VS, { query, namespace })).body as {
        items: KubeObject[];
        metadata: Record<string, unknown>;
      };
    expect(
      list({ labelSelector: 'app in (pg,x)' }).items.map(i => i.metadata.name),
    ).toEqual(['a', 'b', 'c', 'd']);
    expect(
      list({ labelSelector: 'app=pg,!missing' }).items.map(
        i => i.metadata.name,
      ),
    ).toEqual(['a', 'b', 'd']);
    expect(
      list({ fieldSelector: 'metadata.name=b' }).items.map(
        i => i.metadata.name,
      ),
    ).toEqual(['b']);
    expect(fail(() => list({ fieldSelector: 'spec.hosts=a' })).message).toBe(
      '"spec.hosts" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(fail(() => list({ labelSelector: 'app in (' })).code).toBe(400);

    const first = list({ limit: '2' });
    expect(first.items.map(i => i.metadata.name)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const second = list({
      limit: '2',
      continue: String(first.metadata.continue),
    });
    expect(second.items.map(i => i.metadata.name)).toEqual(['c', 'd']);
    expect(second.metadata.resourceVersion).toBe(
      first.metadata.resourceVersion,
    );
    const third = list({
      limit: '2',
      continue: String(second.metadata.continue),
    });
    expect(third.items.map(i => i.metadata.name)).toEqual(['reviews']);
    expect(third.metadata.continue).toBeUndefined();
    expect(fail(() => list({ continue: 'garbage' })).code).toBe(400);
  });

  it('answers 410 for a continue token older than the event window', () => {
    const { api } = setup(2);
    const first = api.handle(req('list', NS, { query: { limit: '1' } }))
      .body as { metadata: { continue: string } };
    for (const n of ['a', 'b', 'c'])
      api.handle(req('create', NS, { json: { metadata: { name: n } } }));
    expect(
      fail(() =>
        api.handle(
          req('list', NS, {
            query: { limit: '1', continue: first.metadata.continue },
          }),
        ),
      ),
    ).toMatchObject({
      code: 410,
      reason: 'Expired',
    });
  });

  it('omits apiVersion/kind of items in built-in lists only', () => {
    const { api } = setup();
    const deploys = api.handle(req('list', DEPLOY)).body as {
      kind: string;
      items: KubeObject[];
    };
    expect(deploys.kind).toBe('DeploymentList');
    expect(deploys.items[0].kind).toBeUndefined();
    const vss = api.handle(
      req('list', VS, { version: 'v1alpha3', namespace: undefined }),
    ).body as { items: KubeObject[] };
    expect(vss.items[0]).toMatchObject({
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
    });
  });

  describe('selected lists over many objects', () => {
    /** bookinfo and other, 12 Deployments and 12 VirtualServices each, 3 of each labelled team=t. */
    function manyObjects() {
      const { store, api } = setup();
      const objects: KubeObject[] = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
      ];
      for (const namespace of ['other', 'bookinfo']) {
        for (let i = 0; i < 12; i++) {
          const name = `obj-${String(i).padStart(2, '0')}`;
          const labels = {
            app: name,
            team: (namespace === 'other' ? [3, 7] : [5]).includes(i)
              ? 't'
              : 'u',
          };
          objects.push(
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name, namespace, labels },
              spec: {
                replicas: 1,
                selector: { matchLabels: { app: name } },
                template: { metadata: { labels: { app: name } } },
              },
            },
            {
              ...vsBody(name),
              metadata: { name, namespace, labels },
            },
          );
        }
      }
      api.applyManifests(objects, { replace: false });
      return { store, api };
    }
    type List = { items: KubeObject[]; metadata: Record<string, unknown> };
    const names = (l: List) =>
      l.items.map(i => `${i.metadata.namespace}/${i.metadata.name}`);

    it.each([
      ['built-in', DEPLOY],
      ['custom', VS],
    ])('pages a %s selected list in namespace/name order', (_kind, type) => {
      const { api } = manyObjects();
      const list = (query: Record<string, string>) =>
        api.handle(req('list', type, { namespace: undefined, query }))
          .body as List;
      const query = { labelSelector: 'team=t,app!=obj-09' };
      const whole = list(query);
      expect(names(whole)).toEqual([
        'bookinfo/obj-05',
        'other/obj-03',
        'other/obj-07',
      ]);
      expect(whole.metadata.continue).toBeUndefined();

      const first = list({ ...query, limit: '2' });
      expect(names(first)).toEqual(['bookinfo/obj-05', 'other/obj-03']);
      expect(first.metadata.continue).toEqual(expect.any(String));
      // Unknown with a selector, as on a real API server.
      expect(first.metadata.remainingItemCount).toBeUndefined();
      const second = list({
        ...query,
        limit: '2',
        continue: String(first.metadata.continue),
      });
      expect(names(second)).toEqual(['other/obj-07']);
      expect(second.metadata.continue).toBeUndefined();
      expect(second.metadata.resourceVersion).toBe(
        first.metadata.resourceVersion,
      );
      // Pages of one: a continue token until the page with the last match.
      const pages: string[][] = [];
      let token: unknown = undefined;
      do {
        const page = list({
          ...query,
          limit: '1',
          ...(token ? { continue: String(token) } : {}),
        });
        pages.push(names(page));
        token = page.metadata.continue;
      } while (token && pages.length < 10);
      expect(pages).toEqual([
        ['bookinfo/obj-05'],
        ['other/obj-03'],
        ['other/obj-07'],
      ]);
    });

    it.each([
      ['built-in', DEPLOY],
      ['custom', VS],
    ])(
      'answers %s list items that are copies of the stored objects',
      (_kind, type) => {
        const { store, api } = manyObjects();
        const query = { labelSelector: 'team=t' };
        const listed = () =>
          api.handle(req('list', type, { namespace: undefined, query }))
            .body as List;
        const before = listed();
        for (const page of [before, listed()]) {
          for (const item of page.items) {
            item.metadata.labels!.team = 'changed';
            item.metadata.name = 'changed';
            (item.spec as Record<string, unknown>).mutated = true;
          }
        }
        const paged = api.handle(
          req('list', type, {
            namespace: undefined,
            query: { ...query, limit: '1' },
          }),
        ).body as List;
        paged.items[0].metadata.labels!.team = 'changed';

        const after = listed();
        expect(names(after)).toEqual([
          'bookinfo/obj-05',
          'other/obj-03',
          'other/obj-07',
        ]);
        for (const item of after.items) {
          expect(item.metadata.labels!.team).toBe('t');
          expect(item.spec).not.toHaveProperty('mutated');
        }
        expect(
          store.get(type, 'bookinfo', 'obj-05')!.metadata.labels!.team,
        ).toBe('t');
      },
    );

    it('starts watches with copies of the stored objects', () => {
      const { store, api } = manyObjects();
      const events: WatchEvent[] = [];
      const stop = api.watch(
        req('watch', DEPLOY, {
          namespace: undefined,
          query: { labelSelector: 'team=t' },
        }),
        e => events.push(e),
      );
      stop?.();
      const objects = events.map(e => e.object as KubeObject);
      expect(
        objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`),
      ).toEqual(['bookinfo/obj-05', 'other/obj-03', 'other/obj-07']);
      objects[0].metadata.labels!.team = 'changed';
      expect(
        store.get(DEPLOY, 'bookinfo', 'obj-05')!.metadata.labels!.team,
      ).toBe('t');
    });

    it('deletes only the selected objects of a collection', () => {
      const { store, api } = manyObjects();
      const deleted = api.handle(
        req('deletecollection', DEPLOY, {
          namespace: 'other',
          query: { labelSelector: 'team=t' },
        }),
      ).body as List;
      expect(names(deleted)).toEqual(['other/obj-03', 'other/obj-07']);
      expect(store.list(DEPLOY, 'other')).toHaveLength(10);
      expect(store.list(DEPLOY, 'bookinfo')).toHaveLength(13);
    });
  });

  describe('watch', () => {
    // `null` watches every namespace.
    function watch(
      api: KubeApi,
      query: Record<string, string>,
      namespace: string | null = 'bookinfo',
    ) {
      const events: WatchEvent[] = [];
      const stop = api.watch(
        req('watch', VS, { query, namespace: namespace ?? undefined }),
        e => events.push(e),
      );
      return { events, stop };
    }
    const summary = (events: WatchEvent[]) =>
      events.map(
        e =>
          `${e.type} ${
            (e.object as KubeObject).metadata?.name ?? (e.object as Status).code
          }`,
      );

    it('starts with synthetic ADDED events without a resourceVersion, then streams changes', () => {
      const { api } = setup();
      const w = watch(api, {});
      api.handle(req('create', VS, { json: vsBody('ratings') }));
      api.handle(req('delete', VS, { name: 'ratings' }));
      w.stop!();
      api.handle(req('create', VS, { json: vsBody('late') }));
      expect(summary(w.events)).toEqual([
        'ADDED reviews',
        'ADDED ratings',
        'DELETED ratings',
      ]);
    });

    it('resumes after a resourceVersion and answers 410 when it fell out of the window', () => {
      const { api, store } = setup(3);
      const rv = store.resourceVersion;
      api.handle(req('create', VS, { json: vsBody('a') }));
      const resumed = watch(api, { resourceVersion: rv });
      expect(summary(resumed.events)).toEqual(['ADDED a']);
      resumed.stop!();
      for (const n of ['b', 'c', 'd'])
        api.handle(req('create', VS, { json: vsBody(n) }));
      const old = watch(api, { resourceVersion: rv });
      expect(old.stop).toBeUndefined();
      expect(old.events).toHaveLength(1);
      expect(old.events[0]).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      });
      expect((old.events[0].object as Status).message).toMatch(
        /^too old resource version: \d+ \(\d+\)$/,
      );
    });

    it('turns label changes into ADDED/DELETED for selector watches', () => {
      const { api } = setup();
      const w = watch(api, {
        labelSelector: 'canary=true',
        resourceVersion: api.store.resourceVersion,
      });
      const label = (v: string | null) =>
        api.handle(
          req('patch', VS, {
            name: 'reviews',
            contentType: 'application/merge-patch+json',
            json: { metadata: { labels: { canary: v } } },
          }),
        );
      label('true');
      label('true');
      api.handle(
        req('patch', VS, {
          name: 'reviews',
          contentType: 'application/merge-patch+json',
          json: { metadata: { annotations: { x: 'y' } } },
        }),
      );
      label(null);
      w.stop!();
      expect(summary(w.events)).toEqual([
        'ADDED reviews',
        'MODIFIED reviews',
        'DELETED reviews',
      ]);
    });

    it('watches every namespace, and a single named object', () => {
      const { api } = setup();
      api.applyManifests(
        parseManifests(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: other, namespace: elsewhere }
spec: { hosts: [other], http: [{ route: [{ destination: { host: other } }] }] }
`),
        { replace: false },
      );
      expect(summary(watch(api, {}, null).events)).toEqual([
        'ADDED reviews',
        'ADDED other',
      ]);
      const named: WatchEvent[] = [];
      api.watch(req('watch', VS, { name: 'reviews', query: {} }), e =>
        named.push(e),
      );
      expect(summary(named)).toEqual(['ADDED reviews']);
    });

    it('carries only the resourceVersion in bookmarks', () => {
      const { api, store } = setup();
      expect(api.bookmark(req('watch', VS, { version: 'v1beta1' }))).toEqual({
        type: 'BOOKMARK',
        object: {
          kind: 'VirtualService',
          apiVersion: 'networking.istio.io/v1beta1',
          metadata: { resourceVersion: store.resourceVersion },
        },
      });
    });
  });

  describe('applyManifests', () => {
    it('creates implicit namespaces and keeps status as given', () => {
      const { api, store } = setup();
      const results = api.applyManifests(
        parseManifests(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { replicas: 1 }
status: { replicas: 1, readyReplicas: 0 }
`),
        { replace: false },
      );
      expect(results.map(r => `${r.action} ${r.kind} ${r.name}`)).toEqual([
        'created Namespace shop',
        'created Deployment web',
      ]);
      expect(store.get(DEPLOY, 'shop', 'web')?.status).toEqual({
        replicas: 1,
        readyReplicas: 0,
      });
      expect(store.get(NS, undefined, 'shop')?.metadata.labels).toEqual({
        'kubernetes.io/metadata.name': 'shop',
      });
    });

    it('replaces everything with replace: true, keeping default', () => {
      const { api, store } = setup();
      const results = api.applyManifests(
        parseManifests(`apiVersion: v1
kind: Namespace
metadata: { name: fresh }
`),
        { replace: true },
      );
      expect(
        results
          .filter(r => r.action === 'deleted')
          .map(r => r.name)
          .sort(),
      ).toEqual(['bookinfo', 'reviews', 'reviews-v1']);
      expect(store.list(NS).map(n => n.metadata.name)).toEqual([
        'default',
        'fresh',
      ]);
    });

    it('validates before changing anything', () => {
      const { api, store } = setup();
      const before = store.resourceVersion;
      expect(() =>
        api.applyManifests(
          parseManifests(`apiVersion: v1
kind: Namespace
metadata: { name: fine }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bad }
spec: { hosts: [bad], http: [{ route: [{ destination: { host: bad }, weight: -1 }] }] }
`),
          { replace: true },
        ),
      ).toThrow(/weight -1 < 0/);
      expect(() =>
        api.applyManifests(
          parseManifests(
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
          ),
          { replace: false },
        ),
      ).toThrow('no matches for kind "ConfigMap" in version "v1"');
      expect(store.resourceVersion).toBe(before);
    });
  });
});
