import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ClusterDetails } from '../clusters';
import { loadClientNode } from './clientNode';
import {
  assertCredentials,
  keepAliveAgent,
  makeKubeConfig,
} from './connection';

const cluster = (overrides: Partial<ClusterDetails> = {}): ClusterDetails => ({
  name: 'east',
  url: 'https://k8s.east.example.com',
  serviceAccountToken: 'token',
  skipTLSVerify: false,
  allowInsecureHttp: false,
  impersonate: false,
  ...overrides,
});

describe('makeKubeConfig', () => {
  it('uses the configured token in a context named for the cluster', async () => {
    const kc = makeKubeConfig(await loadClientNode(), cluster());
    expect(kc.getCurrentContext()).toBe('east');
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://k8s.east.example.com',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('token');
  });

  it('reads the in-cluster token file when no token is configured', async () => {
    const kc = makeKubeConfig(
      await loadClientNode(),
      cluster({ serviceAccountToken: undefined }),
      'token-file',
    );
    expect(kc.getCurrentUser()?.authProvider).toEqual({
      config: { tokenFile: 'token-file' },
    });
  });

  it('skips TLS verification of a plain http url, which client-node would refuse', async () => {
    const kc = makeKubeConfig(
      await loadClientNode(),
      cluster({ url: 'http://127.0.0.1:8080', allowInsecureHttp: true }),
    );
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
  });
});

describe('keepAliveAgent', () => {
  it('keeps connections alive, over http or https', async () => {
    const k8s = await loadClientNode();
    const plain = cluster({ url: 'http://127.0.0.1:8080' });
    const insecure = cluster({ skipTLSVerify: true });
    const httpAgent = await keepAliveAgent(makeKubeConfig(k8s, plain), plain);
    const httpsAgent = await keepAliveAgent(
      makeKubeConfig(k8s, insecure),
      insecure,
    );
    expect(httpAgent).toBeInstanceOf(http.Agent);
    expect(httpAgent).not.toBeInstanceOf(https.Agent);
    expect(httpsAgent).toBeInstanceOf(https.Agent);
    expect((httpsAgent as https.Agent).options).toMatchObject({
      keepAlive: true,
      rejectUnauthorized: false,
    });
    httpAgent.destroy();
    httpsAgent.destroy();
  });
});

describe('assertCredentials', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-rollouts-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts a configured token, or an in-cluster token file that exists', () => {
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'in-cluster');
    expect(() =>
      assertCredentials(cluster(), path.join(dir, 'missing')),
    ).not.toThrow();
    expect(() =>
      assertCredentials(cluster({ serviceAccountToken: undefined }), tokenFile),
    ).not.toThrow();
  });

  it('refuses a cluster with neither, naming it', () => {
    expect(() =>
      assertCredentials(
        cluster({ serviceAccountToken: undefined }),
        path.join(dir, 'missing'),
      ),
    ).toThrow(
      expect.objectContaining({
        reason: 'MissingCredentials',
        message: expect.stringContaining(
          'Cluster "east" has no serviceAccountToken configured',
        ),
      }),
    );
  });
});
