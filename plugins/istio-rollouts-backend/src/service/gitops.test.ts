/*
 * GitOps mode through the plugin's HTTP API, in process: demo-east's reviews VirtualService is applied by an Argo CD
 * Application (kube-sim) from a real git repository on loopback (`git http-backend`), configured in
 * `istioRollouts.gitops`. A dry run answers the commit's diff; an applied action pushes a branch, records the change
 * as `proposed` with where it is, and leaves the cluster alone; the route shows it pending in Git until Argo CD's sync
 * applies it, which settles it as applied (a later revert is drift). A VirtualService Git does not own is patched as
 * before.
 */
import { KubeSim } from '@internal/kube-sim';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  DemoBackend,
  demoClustersConfig,
  TOKEN,
  getHistory,
  getRollouts,
  postAction,
  startDemoBackend,
  startDemoCluster,
  storedObject,
  writesTo,
} from '../__testUtils__/demoBackend';
import {
  GitHttpServer,
  inBare,
  makeBareRepository,
  startGitHttpServer,
} from '../gitops/__testUtils__/gitRemote';

jest.setTimeout(60_000);

const EAST = 'demo-east/bookinfo/reviews';
const FILE = 'apps/reviews/virtualservice.yaml';

/** reviews as the repository holds it: the demo's object, tracked by Argo CD's Application `bookinfo`. */
function reviewsManifest(sim: KubeSim): string {
  const live = storedObject(sim, 'VirtualService', 'bookinfo', 'reviews')!;
  const manifest = {
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: {
      name: 'reviews',
      namespace: 'bookinfo',
      labels: live.metadata.labels,
      annotations: {
        'argocd.argoproj.io/tracking-id':
          'bookinfo:networking.istio.io/VirtualService:bookinfo/reviews',
      },
    },
    spec: live.spec,
  };
  return `# Applied by Argo CD (Application bookinfo); change it here, not in the cluster.\n${stringify(
    manifest,
  )}`;
}

describe('GitOps mode', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;
  let root: string;
  let bare: string;
  let git: GitHttpServer;
  let manifest: string;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-service-test-'));
    manifest = reviewsManifest(east);
    bare = makeBareRepository(root, 'mesh', { [FILE]: manifest });
    git = await startGitHttpServer({ root });
    // Argo CD applied the repository's reviews, and holds its Application in the cluster.
    east.loadManifests(manifest);
    east.loadManifests(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: bookinfo, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: ${git.url}/mesh.git, path: apps/reviews, targetRevision: main }
`);
    const config = demoClustersConfig({ 'demo-east': east, 'demo-west': west });
    backend = await startDemoBackend({
      ...config,
      istioRollouts: {
        ...config.istioRollouts,
        gitops: { repositories: [{ url: `${git.url}/*` }] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close(), git?.close()]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    east.requests.clear();
    west.requests.clear();
  });

  async function reviews(cluster = EAST) {
    const res = await getRollouts(backend, 'reviews');
    return res.body.rollouts.find((r: any) => r.id === cluster);
  }

  it('says on the rollout that its changes go to Git, and on one Git does not own nothing', async () => {
    expect((await reviews()).owner).toEqual({
      kind: 'ArgoCD',
      name: 'bookinfo',
      effect: 'may-revert',
      via: 'annotation argocd.argoproj.io/tracking-id',
      gitops: {
        changesGoTo: 'git',
        repositoryUrl: `${git.url}/mesh.git`,
        delivery: 'branch',
      },
    });
    expect((await reviews('demo-west/bookinfo/reviews')).owner).toBeUndefined();
    // Found from the Application at the first read, then remembered while the VirtualService is unchanged.
    const applicationReads = () =>
      east.requests.list().filter(r => r.path.includes('/applications/'));
    expect(applicationReads()).toHaveLength(1);
    east.requests.clear();
    await reviews();
    expect(applicationReads()).toEqual([]);
  });

  it('answers a dry run with the commit it would make, writing nothing anywhere', async () => {
    const rollout = await reviews();
    const res = await postAction(backend, 'reviews', {
      action: 'setWeights',
      rolloutId: EAST,
      resourceVersion: rollout.resourceVersion,
      route: { kind: 'http', index: 0 },
      weights: { v1: 80, v2: 20 },
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.gitops).toMatchObject({
      repositoryUrl: `${git.url}/mesh.git`,
      managedBy: 'Application argocd/bookinfo',
      delivery: 'branch',
    });
    // No warning that a sync may revert it: the change is made where the sync reads it.
    expect(res.body.warning).toBeUndefined();
    expect(res.body.gitops.diff).toContain(`--- a/${FILE}`);
    expect(res.body.gitops.diff).toMatch(/-\s+weight: 50\n/);
    expect(res.body.gitops.diff).toMatch(/\+\s+weight: 80\n/);
    expect(writesTo(east)).toEqual([]);
    expect(inBare(bare, ['branch', '--list']).trim()).toBe('* main');
  });

  it('commits the change to a new branch as the user, records it as proposed with the link, and leaves the cluster to Argo CD', async () => {
    const rollout = await reviews();
    const res = await postAction(backend, 'reviews', {
      action: 'setWeights',
      rolloutId: EAST,
      resourceVersion: rollout.resourceVersion,
      route: { kind: 'http', index: 0 },
      weights: { v1: 80, v2: 20 },
      reason: 'canary looks good',
    });
    expect(res.status).toBe(200);
    const proposal = res.body.gitops.proposal;
    expect(proposal).toMatchObject({
      repositoryUrl: `${git.url}/mesh.git`,
      managedBy: 'Application argocd/bookinfo',
      delivery: 'branch',
      files: [FILE],
    });
    expect(proposal.branch).toMatch(/^istio-rollouts\/reviews-/);
    expect(inBare(bare, ['rev-parse', proposal.branch]).trim()).toBe(
      proposal.commit,
    );
    const committed = inBare(bare, ['show', `${proposal.branch}:${FILE}`]);
    expect(committed).toBe(
      manifest
        .replace(/weight: 50/, 'weight: 80')
        .replace(/weight: 50/, 'weight: 20'),
    );
    expect(
      inBare(bare, ['log', '-1', '--format=%an <%ae>%n%B', proposal.commit]),
    ).toContain('Reason: canary looks good');

    // Nothing was sent to the cluster: Argo CD applies it once merged.
    expect(writesTo(east)).toEqual([]);
    expect((await reviews()).resourceVersion).toBe(rollout.resourceVersion);

    expect(res.body.event).toMatchObject({
      status: 'proposed',
      summary: res.body.summary,
      gitops: {
        branch: proposal.branch,
        commit: proposal.commit,
        managedBy: 'Application argocd/bookinfo',
      },
    });
    const history = await getHistory(backend, 'reviews');
    expect(history.body.events[0]).toMatchObject({
      id: res.body.event.id,
      status: 'proposed',
      reason: 'canary looks good',
      gitops: { branch: proposal.branch },
    });
  });

  /** A JSON patch of east's reviews, sent to the cluster as `manager` (Argo CD's sync, kubectl). */
  async function patchReviews(
    manager: string,
    weights: [number, number],
  ): Promise<void> {
    const res = await fetch(
      `${east.url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews?fieldManager=${manager}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json-patch+json',
        },
        body: JSON.stringify(
          weights.map((weight, i) => ({
            op: 'replace',
            path: `/spec/http/0/route/${i}/weight`,
            value: weight,
          })),
        ),
      },
    );
    expect(res.status).toBe(200);
  }

  it('shows the proposal as pending in Git until the sync applies it; then it is applied, not an outside change, and a revert is drift', async () => {
    const proposed = (await getHistory(backend, 'reviews')).body.events[0];
    expect(proposed.status).toBe('proposed');
    let route = (await reviews()).routes[0];
    expect(route.pendingInGit).toEqual({
      eventId: proposed.id,
      proposedAt: proposed.createdAt,
      actor: 'user:default/guest',
      summary: proposed.summary,
      gitops: proposed.gitops,
    });
    expect(route.drift).toBeUndefined();

    // The branch is merged and Argo CD syncs it.
    await patchReviews('argocd-controller', [80, 20]);
    route = (await reviews()).routes[0];
    expect(route.destinations.map((d: any) => d.weight)).toEqual([80, 20]);
    expect(route.pendingInGit).toBeUndefined();
    expect(route.drift).toBeUndefined();
    let events = (await getHistory(backend, 'reviews')).body.events;
    expect(events[0]).toMatchObject({
      id: proposed.id,
      status: 'applied',
      gitops: proposed.gitops,
    });
    expect(events.filter((e: any) => e.action === 'outsideChange')).toEqual([]);

    // Put back by hand after the merge: drift from the change Git applied.
    await patchReviews('kubectl-edit', [50, 50]);
    route = (await reviews()).routes[0];
    expect(route.pendingInGit).toBeUndefined();
    expect(route.drift).toMatchObject({
      by: 'kubectl-edit',
      expected: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 20 },
      ],
    });
    events = (await getHistory(backend, 'reviews')).body.events;
    expect(events[0]).toMatchObject({
      action: 'outsideChange',
      actor: 'kubectl-edit',
    });
  });

  it('patches a VirtualService Git does not own, as without GitOps mode', async () => {
    const rollout = await reviews('demo-west/bookinfo/reviews');
    const res = await postAction(backend, 'reviews', {
      action: 'setWeights',
      rolloutId: 'demo-west/bookinfo/reviews',
      resourceVersion: rollout.resourceVersion,
      route: { kind: 'http', index: 0 },
      weights: { v1: 70, v2: 30 },
    });
    expect(res.status).toBe(200);
    expect(res.body.gitops).toBeUndefined();
    expect(res.body.event.status).toBe('applied');
    expect(writesTo(west).map(r => r.method)).toEqual(['PATCH']);
  });
});
