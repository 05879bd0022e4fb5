/*
 * Writes sent as the acting user, against kube-sim with Kubernetes RBAC for
 * impersonated users and groups: the cluster, not only Backstage, decides.
 */
import { KubeSim, parseUsersFile, startKubeSim } from '@internal/kube-sim';
import type { JsonPatchOperation } from '@internal/plugin-istio-rollouts-common';
import { KubeClusterClient } from './KubeClusterClient';
import { kubeStatusCode, kubeStatusMessage } from './errors';

const MANIFESTS = ['bookinfo', 'default']
  .map(
    namespace => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: ${namespace} }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v1 }, weight: 100 }] }]
`,
  )
  .join('---');

// The plugin's service account may impersonate; team-bookinfo may patch in bookinfo only.
const USERS = `
users:
  - name: backstage-istio-rollouts
    token: sa-token
    rules:
      - { verbs: [get, list, watch], apiGroups: ['*'], resources: ['*'] }
      - { verbs: [impersonate], apiGroups: [''], resources: [users, groups] }
groups:
  - name: group:default/team-bookinfo
    rules:
      - verbs: [patch]
        apiGroups: [networking.istio.io]
        resources: [virtualservices]
        namespaces: [bookinfo]
`;

describe('KubeClusterClient writes as an impersonated user', () => {
  let sim: KubeSim;
  let client: KubeClusterClient;
  const signal = () => new AbortController().signal;
  const ref = (namespace: string) => ({
    version: 'v1',
    resource: 'virtualservices' as const,
    namespace,
    name: 'reviews',
  });
  const ops: JsonPatchOperation[] = [
    { op: 'replace', path: '/spec/http/0/route/0/weight', value: 100 },
  ];
  const impersonate = {
    user: 'user:default/guest',
    groups: ['group:default/team-bookinfo', 'group:default/readers'],
  };

  beforeAll(async () => {
    sim = await startKubeSim({
      manifests: MANIFESTS,
      users: parseUsersFile(USERS),
    });
    client = await KubeClusterClient.create({
      name: 'rbac',
      url: sim.url,
      serviceAccountToken: 'sa-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: true,
    });
  });

  afterAll(async () => {
    await sim?.close();
  });

  beforeEach(() => sim.requests.clear());

  it('sends the user and each group on its own header line, and the cluster lets the group patch where it may', async () => {
    const stored = await client.patchIstio(ref('bookinfo'), ops, signal(), {
      impersonate,
    });
    expect(stored.metadata?.name).toBe('reviews');
    expect(sim.requests.list()).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        status: 200,
        user: 'backstage-istio-rollouts',
        impersonatedUser: 'user:default/guest',
        impersonatedGroups: [
          'group:default/team-bookinfo',
          'group:default/readers',
        ],
      }),
    ]);
  });

  it('is refused by the cluster where the user’s groups may not patch', async () => {
    const error = await client
      .patchIstio(ref('default'), ops, signal(), { impersonate })
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(403);
    expect(kubeStatusMessage(error)).toContain(
      'User "user:default/guest" cannot patch resource "virtualservices"',
    );
  });

  it('is refused without impersonation: the service account alone may not patch', async () => {
    const error = await client
      .patchIstio(ref('bookinfo'), ops, signal())
      .catch(e => e);
    expect(kubeStatusCode(error)).toBe(403);
  });
});
