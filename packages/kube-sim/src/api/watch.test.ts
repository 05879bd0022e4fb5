import type { KubeApi, WatchEvent } from '../api';
import { parseManifests } from '../manifests';
import { KubeObject } from '../objects';
import { Status } from '../status';
import { req, useKubeApi, VS, vsBody } from '../__testUtils__/kubeApi';

const setup = useKubeApi();

describe('KubeApi', () => {
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
});
