import { KubeObject } from '../objects';
import {
  DEPLOY,
  fail,
  req,
  useKubeApi,
  VS,
  vsBody,
} from '../__testUtils__/kubeApi';

const setup = useKubeApi();

describe('KubeApi', () => {
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
});
