import { KubeObject } from '../objects';
import { DEPLOY, fail, req, useKubeApi, VS } from '../__testUtils__/kubeApi';

const setup = useKubeApi();

describe('KubeApi', () => {
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
});
