import { KubeObject } from '../objects';
import {
  DEPLOY,
  fail,
  NS,
  POD,
  req,
  useKubeApi,
  VS,
  vsBody,
} from '../__testUtils__/kubeApi';

const setup = useKubeApi();

describe('KubeApi', () => {
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
});
