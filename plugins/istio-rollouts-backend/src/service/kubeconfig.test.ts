/*
 * A cluster reached through a kubeconfig file, as a developer's kind or minikube is: the demo's kube-sim named
 * in a kubeconfig (server, and a token user), read with client-node, and the entity's rollouts read through it.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeSim } from '@internal/kube-sim';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import {
  DemoBackend,
  GUEST,
  startDemoBackend,
  startDemoCluster,
  TOKEN,
} from '../__testUtils__/demoBackend';

describe('a cluster from a kubeconfig file', () => {
  let sim: KubeSim;
  let backend: DemoBackend;
  let dir: string;

  beforeAll(async () => {
    sim = await startDemoCluster('demo-east');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'minikube',
        clusters: [
          { name: 'kind-demo', cluster: { server: sim.url } },
          { name: 'minikube', cluster: { server: 'https://192.0.2.1:8443' } },
        ],
        users: [
          { name: 'kind-demo', user: { token: TOKEN } },
          { name: 'minikube', user: { token: 'not-this-one' } },
        ],
        contexts: [
          {
            name: 'kind-demo',
            context: { cluster: 'kind-demo', user: 'kind-demo' },
          },
          {
            name: 'minikube',
            context: { cluster: 'minikube', user: 'minikube' },
          },
        ],
      }),
    );
    backend = await startDemoBackend({
      istioRollouts: {
        clusterTimeoutMs: 2000,
        clusters: [
          {
            name: 'kind-demo',
            kubeconfig: file,
            context: 'kind-demo',
            // kube-sim serves plain http on loopback.
            allowInsecureHttp: true,
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the entity’s rollouts through the kubeconfig’s context, with its user', async () => {
    sim.requests.clear();
    const res = await request(backend.server)
      .get('/api/istio-rollouts/v1/entities/component/default/reviews/rollouts')
      .set('authorization', mockCredentials.user.header(GUEST));
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([{ name: 'kind-demo', status: 'ok' }]);
    expect(res.body.rollouts.map((r: any) => r.id)).toEqual([
      'kind-demo/bookinfo/reviews',
    ]);
    // Every request carried the context's user: kube-sim answers 401 to anything else.
    expect(sim.requests.list().every(r => r.status < 400)).toBe(true);
  });
});
