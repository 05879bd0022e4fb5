/*
 * readGitSource against kube-sim over real HTTP, through KubeClusterClient: an Argo CD Application (in Argo CD's
 * namespace and in another one), a Flux Kustomization with its GitRepository, and the answers for what cannot be
 * used.
 */
import { KubeSim, startKubeSim } from '@internal/kube-sim';
import type {
  KubeObject,
  RolloutOwner,
} from '@internal/plugin-istio-rollouts-common';
import { kubeStatusCode } from '../kubernetes/errors';
import { KubeClusterClient } from '../kubernetes/KubeClusterClient';
import { readGitSource } from './readGitSource';

const REPO = 'https://git.example.com/mesh.git';
const FLEET = 'https://git.example.com/fleet.git';

const MANIFESTS = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: bookinfo, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: ${REPO}, path: overlays/demo-east, targetRevision: main }
status:
  resources:
    - { group: networking.istio.io, version: v1, kind: VirtualService, namespace: bookinfo, name: reviews }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ratings, namespace: team-a }
spec:
  project: team-a
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: ${REPO}, path: ratings, directory: { recurse: true } }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: charts, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: https://charts.example.com, chart: reviews, targetRevision: 1.2.0 }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  interval: 10m
  path: ./apps/production
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet, namespace: flux-system }
spec:
  interval: 1m
  url: ${FLEET}
  ref: { branch: main }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: oci, namespace: flux-system }
spec:
  interval: 10m
  path: ./
  prune: true
  sourceRef: { kind: OCIRepository, name: manifests }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: orphan, namespace: flux-system }
spec:
  interval: 10m
  prune: true
  sourceRef: { kind: GitRepository, name: gone }
`;

const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

function virtualService(
  name: string,
  meta: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'bookinfo', ...meta },
    spec: { hosts: [name] },
  };
}

const argoTracked = (name: string, app: string) =>
  virtualService(name, {
    annotations: {
      [TRACKING_ID]: `${app}:networking.istio.io/VirtualService:bookinfo/${name}`,
    },
  });

const fluxLabelled = (name: string, kustomization: string) =>
  virtualService(name, {
    labels: {
      'kustomize.toolkit.fluxcd.io/name': kustomization,
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    },
  });

describe('readGitSource against kube-sim', () => {
  let sim: KubeSim;
  let client: KubeClusterClient;
  const read = (
    vs: KubeObject,
    options: { owners?: RolloutOwner[]; argoCdNamespace?: string } = {},
  ) =>
    readGitSource(client, vs, {
      ...options,
      signal: new AbortController().signal,
    });
  const paths = () => sim.requests.list().map(r => `${r.method} ${r.path}`);

  beforeAll(async () => {
    sim = await startKubeSim({ manifests: MANIFESTS, telemetry: false });
    client = await KubeClusterClient.create({
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: 'demo-rollouts-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
  });

  afterAll(() => sim.close());

  beforeEach(() => {
    sim.requests.clear();
    sim.faults.clear();
  });

  it('reads the Application an Argo CD tracking id names, in Argo CD’s namespace', async () => {
    expect(await read(argoTracked('reviews', 'bookinfo'))).toEqual({
      found: true,
      source: {
        tool: 'argocd',
        repoUrl: REPO,
        revision: 'main',
        path: 'overlays/demo-east',
        managedBy: 'Application argocd/bookinfo',
      },
    });
    expect(paths()).toEqual([
      'GET /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/bookinfo',
    ]);
  });

  it('reads an Application in any namespace from a `<namespace>_<app>` tracking id', async () => {
    expect(await read(argoTracked('ratings', 'team-a_ratings'))).toEqual({
      found: true,
      source: {
        tool: 'argocd',
        repoUrl: REPO,
        revision: 'HEAD',
        path: 'ratings',
        directoryRecurse: true,
        managedBy: 'Application team-a/ratings',
      },
    });
  });

  it('looks in the configured control-plane namespace, and names what is not there', async () => {
    expect(
      await read(argoTracked('reviews', 'bookinfo'), {
        argoCdNamespace: 'gitops',
      }),
    ).toEqual({
      found: false,
      problem: 'missing',
      reason:
        "Application gitops/bookinfo is not in the cluster, though the VirtualService's Argo CD tracking names it.",
      managedBy: 'Application gitops/bookinfo',
    });
    expect(paths()).toEqual([
      'GET /apis/argoproj.io/v1alpha1/namespaces/gitops/applications/bookinfo',
    ]);
  });

  it('answers that a Helm chart’s VirtualService cannot be edited in Git', async () => {
    expect(await read(argoTracked('reviews', 'charts'))).toMatchObject({
      found: false,
      problem: 'helm',
      managedBy: 'Application argocd/charts',
    });
  });

  it('reads a Flux Kustomization and then the GitRepository it builds from', async () => {
    expect(await read(fluxLabelled('reviews', 'apps'))).toEqual({
      found: true,
      source: {
        tool: 'flux',
        repoUrl: FLEET,
        revision: 'main',
        revisionKind: 'branch',
        path: 'apps/production',
        managedBy: 'Kustomization flux-system/apps',
      },
    });
    expect(paths()).toEqual([
      'GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps',
      'GET /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/fleet',
    ]);
  });

  it('says why a Flux source cannot be used: an OCI artifact, a missing GitRepository or Kustomization', async () => {
    expect(await read(fluxLabelled('reviews', 'oci'))).toMatchObject({
      found: false,
      problem: 'unsupported',
    });
    expect(await read(fluxLabelled('reviews', 'orphan'))).toEqual({
      found: false,
      problem: 'missing',
      reason:
        'GitRepository flux-system/gone is not in the cluster, though Kustomization flux-system/orphan builds from it.',
      managedBy: 'Kustomization flux-system/orphan',
    });
    expect(await read(fluxLabelled('reviews', 'nope'))).toMatchObject({
      found: false,
      problem: 'missing',
      managedBy: 'Kustomization flux-system/nope',
    });
  });

  it('answers a HelmRelease’s VirtualService, and one no GitOps tool manages, without a request', async () => {
    const released = virtualService('reviews', {
      labels: {
        'helm.toolkit.fluxcd.io/name': 'reviews',
        'helm.toolkit.fluxcd.io/namespace': 'team-a',
      },
    });
    expect(await read(released)).toMatchObject({
      found: false,
      problem: 'helm',
      managedBy: 'HelmRelease team-a/reviews',
    });
    expect(await read(virtualService('reviews'))).toMatchObject({
      found: false,
      problem: 'not-gitops',
    });
    expect(paths()).toEqual([]);
  });

  it('believes app.kubernetes.io/instance only when the Application lists the VirtualService', async () => {
    const labelled = (name: string) =>
      virtualService(name, {
        labels: { 'app.kubernetes.io/instance': 'bookinfo' },
      });
    expect(await read(labelled('reviews'))).toMatchObject({
      found: true,
      source: { managedBy: 'Application argocd/bookinfo' },
    });
    // A Helm release of the same name labels its objects alike.
    expect(await read(labelled('details'))).toMatchObject({
      found: false,
      problem: 'not-gitops',
    });
  });

  it('uses the owners it is given rather than detecting them again', async () => {
    expect(
      await read(virtualService('reviews'), {
        owners: [{ kind: 'ArgoCD', name: 'bookinfo', effect: 'may-revert' }],
      }),
    ).toMatchObject({ found: true, source: { path: 'overlays/demo-east' } });
  });

  it('rejects with the cluster’s error when a read fails other than 404', async () => {
    sim.faults.add({ verb: 'get', resource: 'applications', status: 403 });
    const error = await read(argoTracked('reviews', 'bookinfo')).catch(
      (e: unknown) => e,
    );
    expect(kubeStatusCode(error)).toBe(403);
  });
});
