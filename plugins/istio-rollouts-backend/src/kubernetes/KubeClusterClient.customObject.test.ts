/*
 * KubeClusterClient.getCustomObject against kube-sim over HTTP: the GET the
 * GitOps source lookup makes for an Argo CD Application or a Flux object.
 */
import { KubeSim, startKubeSim } from '@internal/kube-sim';
import { ClusterDetails } from '../clusters';
import { describeClusterError, kubeStatusCode } from './errors';
import { KubeClusterClient } from './KubeClusterClient';
import { withTimeout } from './withTimeout';

const MANIFESTS = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: bookinfo, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: https://git.example.com/apps.git, path: bookinfo, targetRevision: main }
`;

const USERS = {
  users: [
    {
      name: 'backstage-istio-rollouts',
      token: 'rollouts-token',
      rules: [{ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }],
    },
    {
      name: 'istio-only',
      token: 'istio-only-token',
      rules: [
        {
          verbs: ['get'],
          apiGroups: ['networking.istio.io'],
          resources: ['*'],
        },
      ],
    },
  ],
};

const APP = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'applications',
  namespace: 'argocd',
  name: 'bookinfo',
};

describe('KubeClusterClient.getCustomObject against kube-sim', () => {
  let sim: KubeSim;
  const signal = () => new AbortController().signal;
  const clientAs = (token: string): Promise<KubeClusterClient> => {
    const cluster: ClusterDetails = {
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: token,
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    };
    return KubeClusterClient.create(cluster);
  };

  beforeAll(async () => {
    sim = await startKubeSim({ manifests: MANIFESTS, users: USERS });
  });

  afterAll(() => sim.close());

  beforeEach(() => {
    sim.requests.clear();
    sim.faults.clear();
  });

  it('reads one object by group, version, plural, namespace and name, as raw JSON', async () => {
    const client = await clientAs('rollouts-token');
    const app = await client.getCustomObject(APP, signal());
    expect(app).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'bookinfo', namespace: 'argocd' },
      spec: { source: { path: 'bookinfo', targetRevision: 'main' } },
    });
    // Timestamps stay strings: nothing is turned into a typed model.
    expect(app?.metadata).toMatchObject({
      creationTimestamp: expect.any(String),
    });
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/bookinfo',
        status: 200,
        user: 'backstage-istio-rollouts',
      }),
    ]);
  });

  it('answers undefined for a missing object and for a group the cluster does not serve', async () => {
    const client = await clientAs('rollouts-token');
    expect(
      await client.getCustomObject({ ...APP, name: 'nope' }, signal()),
    ).toBeUndefined();
    expect(
      await client.getCustomObject(
        { ...APP, group: 'example.com', plural: 'widgets' },
        signal(),
      ),
    ).toBeUndefined();
  });

  it('rejects with the API server’s status for anything but 404', async () => {
    const client = await clientAs('istio-only-token');
    const forbidden = await client.getCustomObject(APP, signal()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(kubeStatusCode(forbidden)).toBe(403);
    expect(describeClusterError({ name: 'demo-east' }, forbidden)).toEqual({
      reason: 'Forbidden',
      message: expect.stringContaining(
        'cannot get resource "applications" in API group "argoproj.io" in the namespace "argocd"',
      ),
    });

    sim.faults.add({ verb: 'get', resource: 'applications', status: 503 });
    const unavailable = await (await clientAs('rollouts-token'))
      .getCustomObject(APP, signal())
      .catch((e: unknown) => e);
    expect(kubeStatusCode(unavailable)).toBe(503);
  });

  it('is torn down when its time budget runs out', async () => {
    const client = await clientAs('rollouts-token');
    sim.faults.add({ verb: 'get', resource: 'applications', latencyMs: 5000 });
    const started = Date.now();
    await expect(
      withTimeout(
        100,
        s => client.getCustomObject(APP, s),
        () => new Error('timed out'),
      ),
    ).rejects.toThrow('timed out');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
