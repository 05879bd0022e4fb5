import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import {
  fluxGitRepositoryRef,
  fluxGitSource,
  fluxRevision,
  helmReleaseSource,
} from './gitSource';

const KS = 'Kustomization flux-system/apps';
const REPO = 'https://git.example.com/apps.git';

const kustomization = (spec: unknown): KubeObject => ({
  kind: 'Kustomization',
  metadata: { name: 'apps', namespace: 'flux-system' },
  spec,
});

const gitRepository = (spec: unknown): KubeObject => ({
  kind: 'GitRepository',
  metadata: { name: 'fleet', namespace: 'flux-system' },
  spec,
});

describe('the Git source of a Flux Kustomization', () => {
  it('finds the GitRepository a Kustomization builds from, in its own namespace by default', () => {
    expect(
      fluxGitRepositoryRef(
        kustomization({ sourceRef: { kind: 'GitRepository', name: 'fleet' } }),
        KS,
      ),
    ).toEqual({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet',
    });
    expect(
      fluxGitRepositoryRef(
        kustomization({
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet',
            namespace: 'shared',
          },
        }),
        KS,
      ),
    ).toMatchObject({ namespace: 'shared' });
    expect(fluxGitRepositoryRef(kustomization({}), KS)).toMatchObject({
      problem: 'invalid',
      reason: `${KS} has no sourceRef.`,
    });
  });

  it.each([
    ['OCIRepository', 'an OCI artifact'],
    ['Bucket', 'files in a storage bucket'],
  ])('does not support a %s source', (kind, words) => {
    expect(
      fluxGitRepositoryRef(
        kustomization({ sourceRef: { kind, name: 'manifests' } }),
        KS,
      ),
    ).toEqual({
      found: false,
      problem: 'unsupported',
      reason: `${KS} builds from ${kind} flux-system/manifests, ${words}: only a GitRepository source can be changed with a commit.`,
      managedBy: KS,
    });
  });

  it('takes the ref that wins in source-controller’s order, and master without one', () => {
    const rev = (ref?: Record<string, string>) =>
      fluxRevision(gitRepository({ url: REPO, ref }));
    expect(rev()).toEqual({ revision: 'master', revisionKind: 'branch' });
    expect(rev({ branch: 'main' })).toEqual({
      revision: 'main',
      revisionKind: 'branch',
    });
    expect(rev({ branch: 'main', tag: 'v1.0.0' })).toEqual({
      revision: 'v1.0.0',
      revisionKind: 'tag',
    });
    expect(rev({ tag: 'v1.0.0', semver: '>=1.0.0' })).toEqual({
      revision: '>=1.0.0',
      revisionKind: 'semver',
    });
    expect(rev({ semver: '>=1.0.0', name: 'refs/heads/main' })).toEqual({
      revision: 'refs/heads/main',
      revisionKind: 'name',
    });
    expect(
      rev({ branch: 'main', name: 'refs/heads/main', commit: 'abc123' }),
    ).toEqual({ revision: 'abc123', revisionKind: 'commit' });
  });

  it('joins the GitRepository’s url and ref with the Kustomization’s path', () => {
    expect(
      fluxGitSource(
        kustomization({ path: './apps/production' }),
        gitRepository({ url: REPO, ref: { branch: 'main' } }),
        KS,
      ),
    ).toEqual({
      found: true,
      source: {
        tool: 'flux',
        repoUrl: REPO,
        revision: 'main',
        revisionKind: 'branch',
        path: 'apps/production',
        managedBy: KS,
      },
    });
    expect(
      fluxGitSource(kustomization({}), gitRepository({}), KS),
    ).toMatchObject({
      problem: 'invalid',
      reason: 'GitRepository flux-system/fleet has no url.',
    });
  });

  it('cannot edit what a HelmRelease renders', () => {
    expect(
      helmReleaseSource({
        tool: 'flux',
        kind: 'HelmRelease',
        namespace: 'team-a',
        name: 'reviews',
      }),
    ).toMatchObject({
      found: false,
      problem: 'helm',
      managedBy: 'HelmRelease team-a/reviews',
      reason: expect.stringContaining('renders the VirtualService with Helm'),
    });
  });
});
