import type { WatchEvent } from '../api';
import { KubeObject } from '../objects';
import {
  DEPLOY,
  fail,
  NS,
  req,
  useKubeApi,
  VS,
  vsBody,
} from '../__testUtils__/kubeApi';

const setup = useKubeApi();

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
});
