import {
  detectOwners,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import {
  applicationTracks,
  argoCdApplicationRef,
  argoCdGitSource,
  fluxManagerRef,
  gitOpsManagersOf,
  isGitSourceResult,
  normalizeRepoPath,
  pickArgoCdSource,
  pickManager,
} from './gitSource';

const APP = 'Application argocd/bookinfo';
const KS = 'Kustomization flux-system/apps';
const REPO = 'https://git.example.com/apps.git';

function vs(meta: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'bookinfo', ...meta },
  };
}

const application = (spec: unknown, status?: unknown): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'bookinfo', namespace: 'argocd' },
  spec,
  ...(status !== undefined && { status }),
});

describe('normalizeRepoPath', () => {
  it.each([
    ['./apps/production/', 'apps/production'],
    ['apps', 'apps'],
    ['./', '.'],
    ['.', '.'],
    ['', '.'],
    [undefined, '.'],
  ])('reads %p as %p', (path, expected) => {
    expect(normalizeRepoPath(path)).toBe(expected);
  });
});

describe('which object names the source', () => {
  it('reads the Application from an Argo CD tracking id, in the namespace it names or Argo CD’s own', () => {
    const tracked = (id: string) =>
      gitOpsManagersOf(
        detectOwners(
          vs({ annotations: { 'argocd.argoproj.io/tracking-id': id } }),
        ),
        'argocd',
      );
    expect(
      tracked('bookinfo:networking.istio.io/VirtualService:bookinfo/reviews'),
    ).toEqual([
      {
        tool: 'argocd',
        kind: 'Application',
        namespace: 'argocd',
        name: 'bookinfo',
      },
    ]);
    expect(
      tracked(
        'team-a_reviews:networking.istio.io/VirtualService:bookinfo/reviews',
      ),
    ).toEqual([
      {
        tool: 'argocd',
        kind: 'Application',
        namespace: 'team-a',
        name: 'reviews',
      },
    ]);
    expect(argoCdApplicationRef('bookinfo', 'gitops').namespace).toBe('gitops');
  });

  it('reads the Flux kind from the label that gave the owner away', () => {
    const flux = (prefix: string, namespace?: string) =>
      gitOpsManagersOf(
        detectOwners(
          vs({
            labels: {
              [`${prefix}/name`]: 'apps',
              ...(namespace && { [`${prefix}/namespace`]: namespace }),
            },
          }),
        ),
        'argocd',
      );
    expect(flux('kustomize.toolkit.fluxcd.io', 'clusters')).toEqual([
      {
        tool: 'flux',
        kind: 'Kustomization',
        namespace: 'clusters',
        name: 'apps',
      },
    ]);
    expect(flux('helm.toolkit.fluxcd.io', 'team-a')).toEqual([
      { tool: 'flux', kind: 'HelmRelease', namespace: 'team-a', name: 'apps' },
    ]);
    expect(flux('kustomize.toolkit.fluxcd.io')[0].namespace).toBe(
      'flux-system',
    );
    expect(
      fluxManagerRef({ kind: 'Flux', effect: 'may-revert' }),
    ).toBeUndefined();
  });

  it('leaves controllers out, and answers not-gitops or ambiguous when there is not exactly one manager', () => {
    const managers = gitOpsManagersOf(
      [
        { kind: 'ArgoRollouts', name: 'reviews', effect: 'refuses-edits' },
        { kind: 'ArgoCD', name: 'bookinfo', effect: 'may-revert' },
      ],
      'argocd',
    );
    expect(pickManager(managers)).toEqual(managers[0]);
    expect(pickManager([])).toMatchObject({
      found: false,
      problem: 'not-gitops',
      reason: expect.stringContaining('not managed by Argo CD or Flux'),
    });
    const both = pickManager([
      ...managers,
      {
        tool: 'flux',
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
      },
    ]);
    expect(both).toMatchObject({ found: false, problem: 'ambiguous' });
    expect(isGitSourceResult(both) && both.found === false && both.reason).toBe(
      `The VirtualService is claimed by ${APP} and ${KS}: cannot tell which repository holds it.`,
    );
  });

  it('believes an Application only for the resources it lists', () => {
    const app = application(
      {},
      {
        resources: [
          {
            group: 'networking.istio.io',
            kind: 'VirtualService',
            namespace: 'bookinfo',
            name: 'reviews',
          },
        ],
      },
    );
    expect(applicationTracks(app, vs({}))).toBe(true);
    expect(
      applicationTracks(app, {
        ...vs({}),
        metadata: { name: 'reviews', namespace: 'other' },
      }),
    ).toBe(false);
    expect(applicationTracks(application({}), vs({}))).toBe(false);
  });
});

describe('argoCdGitSource', () => {
  it('reads spec.source: repoURL, targetRevision, path and directory.recurse', () => {
    expect(
      argoCdGitSource(
        application({
          source: {
            repoURL: REPO,
            targetRevision: 'main',
            path: './bookinfo/',
            directory: { recurse: true },
          },
        }),
        APP,
      ),
    ).toEqual({
      found: true,
      source: {
        tool: 'argocd',
        repoUrl: REPO,
        revision: 'main',
        path: 'bookinfo',
        directoryRecurse: true,
        managedBy: APP,
      },
    });
  });

  it('takes HEAD for a missing targetRevision and tells a commit SHA apart', () => {
    const sha = 'a'.repeat(40);
    const of = (targetRevision?: string) =>
      argoCdGitSource(
        application({ source: { repoURL: REPO, path: 'x', targetRevision } }),
        APP,
      );
    expect(of()).toMatchObject({ source: { revision: 'HEAD' } });
    expect(of()).not.toHaveProperty('source.revisionKind');
    expect(of(sha)).toMatchObject({
      source: { revision: sha, revisionKind: 'commit' },
    });
  });

  it.each([
    [
      'a Helm chart',
      {
        repoURL: 'https://charts.example.com',
        chart: 'reviews',
        targetRevision: '1.2.0',
      },
      'helm',
      'chart "reviews" of https://charts.example.com',
    ],
    [
      'a path rendered with Helm',
      {
        repoURL: REPO,
        path: 'charts/reviews',
        helm: { valueFiles: ['prod.yaml'] },
      },
      'helm',
      `${REPO} at charts/reviews`,
    ],
    [
      'a config management plugin',
      { repoURL: REPO, path: 'jsonnet', plugin: { name: 'tanka' } },
      'plugin',
      '("tanka")',
    ],
  ])('cannot edit what %s generates', (_case, source, problem, words) => {
    const result = argoCdGitSource(application({ source }), APP);
    expect(result).toMatchObject({ found: false, problem, managedBy: APP });
    expect(result.found === false && result.reason).toContain(words);
  });

  it('picks the one sources[] entry with a path and no chart', () => {
    const sources = [
      {
        repoURL: 'https://charts.example.com',
        chart: 'reviews',
        helm: { valueFiles: ['$values/reviews.yaml'] },
      },
      { repoURL: REPO, targetRevision: 'main', ref: 'values' },
      { repoURL: REPO, targetRevision: 'main', path: 'istio' },
    ];
    expect(argoCdGitSource(application({ sources }), APP)).toMatchObject({
      found: true,
      source: { repoUrl: REPO, revision: 'main', path: 'istio' },
    });
    // Argo CD ignores spec.source when spec.sources is set.
    expect(
      argoCdGitSource(
        application({
          source: { repoURL: 'https://other', path: 'x' },
          sources,
        }),
        APP,
      ),
    ).toMatchObject({ source: { path: 'istio' } });
  });

  it('says ambiguous for several plain sources, and helm when only charts could hold it', () => {
    const ambiguous = pickArgoCdSource(
      [
        { repoURL: REPO, path: 'a' },
        { repoURL: 'https://git.example.com/b.git', path: 'b' },
      ],
      APP,
    );
    expect(ambiguous).toEqual({
      found: false,
      problem: 'ambiguous',
      reason: `${APP} has 2 sources that could hold the VirtualService (${REPO} at a; https://git.example.com/b.git at b): cannot tell which one to edit.`,
      managedBy: APP,
    });
    expect(
      pickArgoCdSource(
        [
          { repoURL: 'https://charts.example.com', chart: 'reviews' },
          { repoURL: REPO, ref: 'values' },
        ],
        APP,
      ),
    ).toMatchObject({ problem: 'helm' });
    expect(
      pickArgoCdSource([{ repoURL: REPO, ref: 'values' }], APP),
    ).toMatchObject({
      problem: 'invalid',
    });
  });

  it('says what is missing from a malformed Application', () => {
    expect(argoCdGitSource(application({}), APP)).toMatchObject({
      problem: 'invalid',
      reason: `${APP} has no source.`,
    });
    expect(
      argoCdGitSource(application({ source: { path: 'x' } }), APP),
    ).toMatchObject({
      problem: 'invalid',
      reason: `${APP} has no repoURL.`,
    });
  });
});
