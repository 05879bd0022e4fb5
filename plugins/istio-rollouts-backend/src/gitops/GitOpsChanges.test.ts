/*
 * GitOps mode end to end below the actions service: kube-sim holds an Argo CD Application that syncs a kustomize
 * overlay from a real git repository served on loopback by `git http-backend`; the product's planner plans a weight
 * change on the VirtualService as the cluster has it; the change is routed to Git, previewed, and pushed as a new
 * branch. What is asserted is what the remote holds afterwards.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { KubeSim, startKubeSim } from '@internal/kube-sim';
import type {
  ActionKubeObject,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeClusterClient } from '../kubernetes/KubeClusterClient';
import { GitOpsChanges, GitOpsRoute } from './GitOpsChanges';
import { readGitOpsConfig } from './gitopsConfig';
import { reviewsKustomize } from './placement/__fixtures__/reviewsKustomize';
import { clusterObject, planOn } from './placement/__testUtils__/repository';
import {
  GitHttpServer,
  inBare,
  makeBareRepository,
  startGitHttpServer,
} from './__testUtils__/gitRemote';

jest.setTimeout(60_000);

const TRACKING = 'argocd.argoproj.io/tracking-id';
const GUEST = { name: 'Guest', email: 'guest@example.com' };

/** reviews as Argo CD applied the `smp` overlay: the base with the overlay's weights, tracked by `bookinfo`. */
function reviewsInCluster(): {
  virtualService: ActionKubeObject;
  destinationRules: ActionKubeObject[];
} {
  const virtualService = clusterObject(
    reviewsKustomize['base/virtualservice.yaml'],
  );
  const route = (virtualService.spec as any).http[0].route;
  route[0].weight = 80;
  route[1].weight = 20;
  (virtualService as KubeObject).metadata!.annotations = {
    [TRACKING]: 'bookinfo:networking.istio.io/VirtualService:bookinfo/reviews',
  };
  return {
    virtualService,
    destinationRules: [
      clusterObject(reviewsKustomize['base/destinationrule.yaml']),
    ],
  };
}

function applications(repoUrl: string): string {
  return `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: bookinfo, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: ${repoUrl}, path: overlays/smp, targetRevision: main }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: charts, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: bookinfo }
  source: { repoURL: https://charts.example.com, chart: reviews, targetRevision: 1.2.0 }
`;
}

describe('GitOpsChanges', () => {
  let root: string;
  let bare: string;
  let git: GitHttpServer;
  let sim: KubeSim;
  let client: KubeClusterClient;
  const signal = new AbortController().signal;

  const changes = (repositories: unknown[]) =>
    new GitOpsChanges({
      config: readGitOpsConfig(
        new ConfigReader({
          istioRollouts: { gitops: { repositories } },
        } as any),
      )!,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      logger: mockServices.logger.mock(),
    });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-changes-test-'));
    bare = makeBareRepository(root, 'mesh', reviewsKustomize);
    git = await startGitHttpServer({ root });
    sim = await startKubeSim({
      manifests: applications(`${git.url}/mesh.git`),
      telemetry: false,
    });
    client = await KubeClusterClient.create({
      name: 'demo-east',
      url: sim.url,
      serviceAccountToken: 'demo-rollouts-token',
      skipTLSVerify: false,
      allowInsecureHttp: true,
      impersonate: false,
    });
  });

  afterAll(async () => {
    await sim?.close();
    await git?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('routes a change of a VirtualService Argo CD syncs from a configured repository to Git, previews it, and pushes it as a new branch', async () => {
    const gitops = changes([{ url: `${git.url}/*` }]);
    const cluster = reviewsInCluster();
    const route = await gitops.route(client, cluster.virtualService, signal);
    expect(route).toMatchObject({
      to: 'git',
      source: {
        tool: 'argocd',
        repoUrl: `${git.url}/mesh.git`,
        revision: 'main',
        path: 'overlays/smp',
        managedBy: 'Application argocd/bookinfo',
      },
      repository: { delivery: 'branch', branchPrefix: 'istio-rollouts/' },
    });
    const gitRoute = route as Extract<GitOpsRoute, { to: 'git' }>;
    const plan = planOn(cluster, {
      action: 'setWeights',
      route: { kind: 'http', name: 'reviews-route' },
      weights: { v1: 75, v2: 25 },
    });

    const preview = await gitops.preview(gitRoute, plan.patches);
    expect(preview.placement).toMatchObject({ placed: true });
    expect(preview.diff).toContain('--- a/overlays/smp/weights.yaml');
    expect(preview.diff).toContain('-          weight: 80   # stable');
    expect(preview.diff).toContain('+          weight: 75   # stable');
    // A dry run pushes nothing.
    expect(inBare(bare, ['branch', '--list']).trim()).toBe('* main');

    const proposal = await gitops.propose(gitRoute, plan.patches, {
      summary: plan.summary,
      target: 'VirtualService bookinfo/reviews in demo-east',
      actor: 'user:default/guest',
      entityRef: 'component:default/reviews',
      reason: 'load test passed',
      author: GUEST,
      slug: 'reviews',
    });
    expect(proposal).toMatchObject({
      delivery: 'branch',
      repositoryUrl: `${git.url}/mesh.git`,
      managedBy: 'Application argocd/bookinfo',
      files: ['overlays/smp/weights.yaml'],
    });
    expect(proposal.branch).toMatch(
      /^istio-rollouts\/reviews-[0-9a-z]+-[0-9a-f]{4}$/,
    );
    expect(inBare(bare, ['rev-parse', proposal.branch]).trim()).toBe(
      proposal.commit,
    );
    // Only the overlay's two values changed, byte for byte; the base and main are untouched.
    expect(
      inBare(bare, ['show', `${proposal.branch}:overlays/smp/weights.yaml`]),
    ).toBe(
      reviewsKustomize['overlays/smp/weights.yaml']
        .replace('weight: 80   # stable', 'weight: 75   # stable')
        .replace('weight: 20   # canary', 'weight: 25   # canary'),
    );
    expect(
      inBare(bare, ['diff', '--stat', 'main', proposal.branch]).trim(),
    ).toMatch(/^overlays\/smp\/weights\.yaml \| 4 \+\+--\n 1 file changed/);
    expect(
      inBare(bare, [
        'log',
        '-1',
        '--format=%an|%cn|%s',
        proposal.commit,
      ]).trim(),
    ).toBe(
      `Guest|Backstage Istio Rollouts|VirtualService bookinfo/reviews in demo-east: ${plan.summary}`,
    );
  });

  it('leaves a VirtualService to the cluster when its repository is not configured or allows direct patches, and offers the change as text for Helm', async () => {
    const cluster = reviewsInCluster();
    expect(
      await changes([{ url: 'https://github.com/acme/*' }]).route(
        client,
        cluster.virtualService,
        signal,
      ),
    ).toMatchObject({
      to: 'cluster',
      note: expect.stringContaining('istioRollouts.gitops names no repository'),
    });
    expect(
      await changes([{ url: `${git.url}/mesh`, allowDirectPatch: true }]).route(
        client,
        cluster.virtualService,
        signal,
      ),
    ).toMatchObject({
      to: 'cluster',
      note: expect.stringContaining('allowDirectPatch'),
    });

    const untracked = reviewsInCluster().virtualService;
    delete (untracked as KubeObject).metadata!.annotations;
    expect(
      await changes([{ url: `${git.url}/*` }]).route(client, untracked, signal),
    ).toEqual({ to: 'cluster' });

    const helm = reviewsInCluster().virtualService;
    (helm as KubeObject).metadata!.annotations = {
      [TRACKING]: 'charts:networking.istio.io/VirtualService:bookinfo/reviews',
    };
    expect(
      await changes([{ url: '*' }]).route(client, helm, signal),
    ).toMatchObject({ to: 'text', reason: expect.stringMatching(/Helm/) });
  });

  it('refuses a change Git disagrees with, with the reason and the change as text, and pushes nothing', async () => {
    const gitops = changes([{ url: `${git.url}/*` }]);
    const cluster = reviewsInCluster();
    // The cluster drifted from Git: 70/30 live, 80/20 in the overlay.
    const route0 = (cluster.virtualService.spec as any).http[0].route;
    route0[0].weight = 70;
    route0[1].weight = 30;
    const route = (await gitops.route(
      client,
      cluster.virtualService,
      signal,
    )) as Extract<GitOpsRoute, { to: 'git' }>;
    const plan = planOn(cluster, {
      action: 'setWeights',
      route: { kind: 'http', name: 'reviews-route' },
      weights: { v1: 60, v2: 40 },
    });
    const branches = inBare(bare, ['branch', '--list']);
    const refused = await gitops
      .propose(route, plan.patches, {
        summary: plan.summary,
        target: 'VirtualService bookinfo/reviews in demo-east',
        actor: 'user:default/guest',
        entityRef: 'component:default/reviews',
        author: GUEST,
        slug: 'reviews',
      })
      .catch(e => e);
    expect(refused.name).toBe('ConflictError');
    expect(refused.message).toMatch(
      /^The change cannot be placed in http:\/\/127\.0\.0\.1:\d+\/mesh\.git with certainty: /,
    );
    expect(refused.message).toContain('Make it by hand:');
    expect(inBare(bare, ['branch', '--list'])).toBe(branches);
  });
});
