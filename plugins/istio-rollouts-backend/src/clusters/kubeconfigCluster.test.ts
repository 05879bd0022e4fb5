import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadClientNode } from '../kubernetes';
import { readClusters } from './readClusters';

describe('istioRollouts.clusters[].kubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'kind-dev',
      clusters: [
        {
          name: 'kind-dev',
          cluster: {
            server: 'https://127.0.0.1:6443/',
            'certificate-authority-data': 'Q0EK',
          },
        },
      ],
      users: [
        {
          name: 'kind-dev',
          user: {
            'client-certificate-data': 'Q0VSVAo=',
            'client-key-data': 'S0VZCg==',
          },
        },
      ],
      contexts: [
        {
          name: 'kind-dev',
          context: { cluster: 'kind-dev', user: 'kind-dev' },
        },
      ],
    }),
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const clusters = async (entry: object) =>
    readClusters(
      new ConfigReader({ istioRollouts: { clusters: [entry] } }),
      await loadClientNode(),
    );

  it('takes the server, certificate authority and client certificates of the current context', async () => {
    const [cluster] = await clusters({ name: 'dev', kubeconfig: file });
    expect(cluster).toMatchObject({
      name: 'dev',
      url: 'https://127.0.0.1:6443',
      caData: 'Q0EK',
      skipTLSVerify: false,
      kubeconfigUser: { certData: 'Q0VSVAo=', keyData: 'S0VZCg==' },
    });
    expect(cluster.serviceAccountToken).toBeUndefined();
  });

  it('names the contexts the file has when the one asked for is missing, and a missing file', async () => {
    await expect(
      clusters({ name: 'dev', kubeconfig: file, context: 'minikube' }),
    ).rejects.toThrow(
      `Istio Rollouts: cluster "dev" (istioRollouts.clusters[0]) kubeconfig "${file}" has no context "minikube" (it has "kind-dev")`,
    );
    await expect(
      clusters({ name: 'dev', kubeconfig: path.join(dir, 'nope') }),
    ).rejects.toThrow(/kubeconfig ".*nope" could not be read/);
  });
});
