/*
 * metadata.managedFields through the API: which writes leave an entry, whose
 * manager it names (fieldManager, else the User-Agent), and over HTTP.
 */
import { startKubeSim } from '../index';
import { ManagedFieldsEntry } from '../managedFields';
import { KubeObject } from '../objects';
import { req, useKubeApi, VS, vsBody } from '../__testUtils__/kubeApi';

const setup = useKubeApi();

const fieldsOf = (obj: unknown) =>
  ((obj as KubeObject).metadata.managedFields ?? []) as ManagedFieldsEntry[];

const owners = (obj: unknown) =>
  fieldsOf(obj).map(e => ({
    manager: e.manager,
    operation: e.operation,
    fieldsV1: e.fieldsV1,
  }));

describe('managedFields', () => {
  it('names the creator by fieldManager, else by its User-Agent', () => {
    const { api } = setup();
    const byQuery = api.handle(
      req('create', VS, {
        json: vsBody('a'),
        query: { fieldManager: 'helm' },
        userAgent: 'Go-http-client/1.1',
      }),
    );
    const byAgent = api.handle(
      req('create', VS, {
        json: vsBody('b'),
        userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc',
      }),
    );
    expect(owners(byQuery.body)).toEqual([
      {
        manager: 'helm',
        operation: 'Update',
        fieldsV1: { 'f:spec': { 'f:hosts': {}, 'f:http': {} } },
      },
    ]);
    expect(owners(byAgent.body)[0].manager).toBe('kubectl');
    const [entry] = fieldsOf(byAgent.body);
    expect(entry).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      fieldsType: 'FieldsV1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it('gives the route to whoever patched it last, by JSON and by merge patch', () => {
    const { api } = setup();
    api.handle(
      req('create', VS, {
        json: vsBody('r', [50, 50]),
        userAgent: 'kubectl/1',
      }),
    );
    const json = api.handle(
      req('patch', VS, {
        name: 'r',
        contentType: 'application/json-patch+json',
        json: [
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 60 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: 40 },
        ],
        query: { fieldManager: 'backstage-istio-rollouts' },
      }),
    );
    expect(owners(json.body).map(o => [o.manager, o.fieldsV1])).toEqual([
      ['backstage-istio-rollouts', { 'f:spec': { 'f:http': {} } }],
      ['kubectl', { 'f:spec': { 'f:hosts': {} } }],
    ]);
    const merge = api.handle(
      req('patch', VS, {
        name: 'r',
        contentType: 'application/merge-patch+json',
        json: { spec: vsBody('r', [70, 30]).spec },
        userAgent: 'kubectl/v1.31.0',
        query: { fieldManager: 'kubectl-patch' },
      }),
    );
    expect(owners(merge.body).map(o => o.manager)).toEqual([
      'kubectl',
      'kubectl-patch',
    ]);
    expect(owners(merge.body)[1].fieldsV1).toEqual({
      'f:spec': { 'f:http': {} },
    });
  });

  it('records a server-side apply as Apply, and a PUT that keeps every value as nothing new', () => {
    const { api } = setup();
    api.handle(req('create', VS, { json: vsBody('s', [50, 50]) }));
    const applied = api.handle(
      req('patch', VS, {
        name: 's',
        contentType: 'application/apply-patch+yaml',
        json: { ...vsBody('s', [90, 10]), metadata: { name: 's' } },
        query: { fieldManager: 'argocd-controller', force: 'true' },
      }),
    ).body as KubeObject;
    expect(owners(applied)[0]).toMatchObject({
      manager: 'argocd-controller',
      operation: 'Apply',
    });
    const put = api.handle(
      req('update', VS, { name: 's', json: applied, userAgent: 'other/1' }),
    ).body as KubeObject;
    expect(put.metadata.resourceVersion).toBe(applied.metadata.resourceVersion);
    expect(put.metadata.managedFields).toEqual(applied.metadata.managedFields);
  });

  it('serves them over HTTP, naming the manager from the User-Agent', async () => {
    const sim = await startKubeSim({
      manifests:
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: bookinfo }\n',
      telemetry: false,
    });
    try {
      const url = `${sim.url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices`;
      await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'curl/8.5.0',
        },
        body: JSON.stringify(vsBody('h')),
      });
      const res = await fetch(`${url}/h`);
      expect(owners(await res.json())).toEqual([
        expect.objectContaining({ manager: 'curl', operation: 'Update' }),
      ]);
    } finally {
      await sim.close();
    }
  });
});
