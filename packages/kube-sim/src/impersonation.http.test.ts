/*
 * Impersonation over real HTTP: plain http.request for exact header lines
 * (two Impersonate-Group lines, or one comma-joined line), and
 * @kubernetes/client-node, the client the backend uses.
 */
import * as http from 'node:http';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { parseUsersFile } from './auth';
import { KubeSim, startKubeSim } from './index';

const GROUP = 'networking.istio.io';
const GUEST = 'user:default/guest';
const TEAM = 'group:default/team-bookinfo';

const MANIFESTS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v1 }, weight: 100 }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v1 }, weight: 100 }] }]
`;

const USERS = `
users:
  - name: backstage-istio-rollouts
    token: sa-token
    rules:
      - { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }
  - name: viewer
    token: viewer-token
    rules:
      - { verbs: [get, list, watch], apiGroups: ['*'], resources: ['*'] }
groups:
  - name: ${TEAM}
    rules:
      - { verbs: [get, list, watch], apiGroups: ['*'], resources: ['*'] }
      - verbs: [patch]
        apiGroups: [networking.istio.io]
        resources: [virtualservices, destinationrules]
        namespaces: [bookinfo]
`;

const OPS = [{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }];

interface Answer {
  status: number;
  contentType?: string;
  text: string;
}

/** A PATCH with the exact header lines given (an array value = several lines). */
function patch(
  sim: KubeSim,
  namespace: string,
  headers: Record<string, string | string[]>,
): Promise<Answer> {
  const body = JSON.stringify(OPS);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sim.url}/apis/${GROUP}/v1/namespaces/${namespace}/virtualservices/reviews?fieldManager=rollouts`,
      {
        method: 'PATCH',
        headers: {
          'Content-Type': 'application/json-patch+json',
          'Content-Length': Buffer.byteLength(body),
          ...headers,
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            contentType: res.headers['content-type'],
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function requestLog(sim: KubeSim) {
  const res = await fetch(`${sim.url}/_sim/requests`);
  return res.json();
}

describe('impersonation over HTTP', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    // Through the file parser, as the CLI's --users reads it.
    sim = await startKubeSim({
      manifests: MANIFESTS,
      users: parseUsersFile(USERS),
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.requests.clear());

  const impersonating = (token: string, groups: string | string[]) => ({
    Authorization: `Bearer ${token}`,
    'Impersonate-User': GUEST,
    'Impersonate-Group': groups,
  });

  it('allows what the impersonated groups allow; every group line counts', async () => {
    const r = await patch(
      sim,
      'bookinfo',
      impersonating('sa-token', ['group:default/other', TEAM]),
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).metadata.labels).toEqual({ x: 'y' });
    expect(await requestLog(sim)).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        query: { fieldManager: 'rollouts' },
        status: 200,
        user: 'backstage-istio-rollouts',
        impersonatedUser: GUEST,
        impersonatedGroups: ['group:default/other', TEAM],
      }),
    ]);
  });

  it('refuses what they do not allow, naming the impersonated user', async () => {
    const r = await patch(
      sim,
      'default',
      impersonating('sa-token', ['group:default/other', TEAM]),
    );
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: `virtualservices.networking.istio.io "reviews" is forbidden: User "${GUEST}" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "default"`,
    });
  });

  it('reads a comma-joined line as one group, as the apiserver does', async () => {
    const r = await patch(
      sim,
      'bookinfo',
      impersonating('sa-token', `group:default/other, ${TEAM}`),
    );
    expect(r.status).toBe(403);
    expect((await requestLog(sim))[0].impersonatedGroups).toEqual([
      `group:default/other, ${TEAM}`,
    ]);
  });

  it('refuses a token user without the impersonate verb', async () => {
    const r = await patch(sim, 'bookinfo', impersonating('viewer-token', TEAM));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({
      reason: 'Forbidden',
      details: { name: GUEST, kind: 'users' },
      message: `users "${GUEST}" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope`,
    });
    expect(await requestLog(sim)).toEqual([
      expect.objectContaining({
        status: 403,
        user: 'viewer',
        impersonatedUser: GUEST,
        impersonatedGroups: [TEAM],
      }),
    ]);
  });

  it('answers 401 before looking at impersonation', async () => {
    const r = await patch(sim, 'bookinfo', impersonating('nope', TEAM));
    expect(r.status).toBe(401);
  });

  it('refuses Impersonate-Group without Impersonate-User with a plain-text 500', async () => {
    const r = await patch(sim, 'bookinfo', {
      Authorization: 'Bearer sa-token',
      'Impersonate-Group': [TEAM, 'b'],
    });
    expect(r).toEqual({
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      text: `Internal Server Error: "/apis/${GROUP}/v1/namespaces/bookinfo/virtualservices/reviews?fieldManager=rollouts": requested [{Group  ${TEAM}    } {Group  b    }] without impersonating a user\n`,
    });
  });

  it('works through @kubernetes/client-node (kubeconfig "as" + a group header)', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: sim.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'sa-token', impersonateUser: GUEST }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
      currentContext: 'sim',
    });
    const api = kc.makeApiClient(CustomObjectsApi);
    const call = (namespace: string) =>
      api.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace,
          plural: 'virtualservices',
          name: 'reviews',
          body: OPS,
          fieldManager: 'backstage-istio-rollouts',
        },
        setHeaderOptions(
          'Impersonate-Group',
          TEAM,
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
    await call('bookinfo');
    const refused = await call('default').catch(e => e);
    expect(refused).toBeInstanceOf(ApiException);
    expect(refused.code).toBe(403);
    expect(JSON.parse(refused.body).message).toContain(`User "${GUEST}"`);
    expect(await requestLog(sim)).toEqual([
      expect.objectContaining({
        namespace: 'bookinfo',
        query: { fieldManager: 'backstage-istio-rollouts' },
        contentType: 'application/json-patch+json',
        status: 200,
        user: 'backstage-istio-rollouts',
        impersonatedUser: GUEST,
        impersonatedGroups: [TEAM],
      }),
      expect.objectContaining({ namespace: 'default', status: 403 }),
    ]);
  });
});

describe('impersonation without a users file', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ manifests: MANIFESTS });
  });
  afterAll(() => sim.close());

  it('allows it (there is no RBAC) and logs who was impersonated', async () => {
    const r = await patch(sim, 'default', {
      'Impersonate-User': GUEST,
      'Impersonate-Group': [TEAM],
    });
    expect(r.status).toBe(200);
    expect(await requestLog(sim)).toEqual([
      expect.objectContaining({
        user: 'kubernetes-admin',
        impersonatedUser: GUEST,
        impersonatedGroups: [TEAM],
      }),
    ]);
  });

  it('still refuses groups without a user', async () => {
    const r = await patch(sim, 'default', { 'Impersonate-Group': TEAM });
    expect(r.status).toBe(500);
  });
});
