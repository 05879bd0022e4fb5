/*
 * The GitOps kinds (Argo CD's Application, Flux's Kustomization and
 * GitRepository) over HTTP with @kubernetes/client-node, the client the
 * backend reads them with: served like the Istio CRDs, with or without the
 * status subresource as their CRDs declare.
 */
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { KubeSim, startKubeSim } from './index';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1' };
const KUSTOMIZE = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1' };
const SOURCE = { group: 'source.toolkit.fluxcd.io', version: 'v1' };

const MANIFESTS = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: bookinfo, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: https://git.example.com/apps.git, path: bookinfo, targetRevision: main }
status: { sync: { status: Synced } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  interval: 10m
  path: ./apps/production
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
status: { observedGeneration: 1 }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet, namespace: flux-system }
spec:
  interval: 1m
  url: https://git.example.com/fleet.git
  ref: { branch: main }
`;

interface Custom extends KubernetesObject {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function client(server: string): CustomObjectsApi {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server, skipTLSVerify: true }],
    users: [{ name: 'user', token: 'any' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'user' }],
    currentContext: 'sim',
  });
  return kc.makeApiClient(CustomObjectsApi);
}

async function failure(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('kube-sim GitOps kinds through @kubernetes/client-node', () => {
  let sim: KubeSim;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    sim = await startKubeSim({ manifests: MANIFESTS });
    custom = client(sim.url);
  });

  afterAll(() => sim.close());

  it('reads each kind by name as the manifests gave it, with apiVersion and kind', async () => {
    const app = (await custom.getNamespacedCustomObject({
      ...ARGO,
      namespace: 'argocd',
      plural: 'applications',
      name: 'bookinfo',
    })) as Custom;
    expect(app).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { generation: 1 },
      spec: { source: { path: 'bookinfo', targetRevision: 'main' } },
      status: { sync: { status: 'Synced' } },
    });
    const ks = (await custom.getNamespacedCustomObject({
      ...KUSTOMIZE,
      namespace: 'flux-system',
      plural: 'kustomizations',
      name: 'apps',
    })) as Custom;
    expect(ks.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet' });
    const repos = await custom.listClusterCustomObject({
      ...SOURCE,
      plural: 'gitrepositories',
    });
    expect(repos.items.map((r: Custom) => [r.kind, r.spec.url])).toEqual([
      ['GitRepository', 'https://git.example.com/fleet.git'],
    ]);
  });

  it('answers 404 NotFound for a missing object and for a version the CRD does not serve', async () => {
    const missing = await failure(
      custom.getNamespacedCustomObject({
        ...ARGO,
        namespace: 'argocd',
        plural: 'applications',
        name: 'nope',
      }),
    );
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      reason: 'NotFound',
      message: 'applications.argoproj.io "nope" not found',
    });
    const wrongVersion = await failure(
      custom.getNamespacedCustomObject({
        ...ARGO,
        version: 'v1',
        namespace: 'argocd',
        plural: 'applications',
        name: 'bookinfo',
      }),
    );
    expect(wrongVersion.code).toBe(404);
  });

  it('keeps a Kustomization’s status on main-resource writes and changes it only through /status', async () => {
    const base = {
      ...KUSTOMIZE,
      namespace: 'flux-system',
      plural: 'kustomizations',
      name: 'apps',
    };
    const patched = (await custom.patchNamespacedCustomObject(
      { ...base, body: { spec: { path: './apps/staging' }, status: {} } },
      MERGE,
    )) as Custom;
    expect(patched.spec.path).toBe('./apps/staging');
    expect(patched.status).toEqual({ observedGeneration: 1 });
    expect(patched.metadata?.generation).toBe(2);

    const status = (await custom.patchNamespacedCustomObjectStatus(
      { ...base, body: { status: { observedGeneration: 2 } } },
      MERGE,
    )) as Custom;
    expect(status.status).toEqual({ observedGeneration: 2 });
    expect(status.metadata?.generation).toBe(2);
  });

  it('has no /status for an Application: its status is written through the main resource', async () => {
    const base = {
      ...ARGO,
      namespace: 'argocd',
      plural: 'applications',
      name: 'bookinfo',
    };
    const noStatus = await failure(
      custom.patchNamespacedCustomObjectStatus(
        { ...base, body: { status: { sync: { status: 'OutOfSync' } } } },
        MERGE,
      ),
    );
    expect(noStatus.code).toBe(404);
    const patched = (await custom.patchNamespacedCustomObject(
      { ...base, body: { status: { sync: { status: 'OutOfSync' } } } },
      MERGE,
    )) as Custom;
    expect(patched.status).toEqual({ sync: { status: 'OutOfSync' } });
  });

  it('lists the kinds with their short names in discovery', async () => {
    const discovery = async (path: string) =>
      (await (await fetch(`${sim.url}${path}`)).json()) as {
        resources: { name: string; shortNames?: string[] }[];
      };
    expect((await discovery('/apis/argoproj.io/v1alpha1')).resources).toEqual([
      expect.objectContaining({
        name: 'applications',
        shortNames: ['app', 'apps'],
      }),
    ]);
    expect(
      (await discovery('/apis/kustomize.toolkit.fluxcd.io/v1')).resources.map(
        r => [r.name, r.shortNames],
      ),
    ).toEqual([
      ['kustomizations', ['ks']],
      ['kustomizations/status', undefined],
    ]);
    expect(
      (await discovery('/apis/source.toolkit.fluxcd.io/v1')).resources.map(
        r => [r.name, r.shortNames],
      ),
    ).toEqual([
      ['gitrepositories', ['gitrepo']],
      ['gitrepositories/status', undefined],
    ]);
  });
});
