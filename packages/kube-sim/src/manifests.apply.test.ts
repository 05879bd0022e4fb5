import { parseManifests } from './manifests';
import { DEPLOY, NS, useKubeApi } from './__testUtils__/kubeApi';

const setup = useKubeApi();

describe('KubeApi', () => {
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
