import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  canonicalRepositoryUrl,
  readGitOpsConfig,
  repositoryConfigFor,
} from './gitopsConfig';

const read = (gitops: JsonObject) =>
  readGitOpsConfig(new ConfigReader({ istioRollouts: { gitops } }));

describe('canonicalRepositoryUrl', () => {
  it.each([
    ['https://GitHub.com/acme/deploy.git', 'https://github.com/acme/deploy'],
    ['https://github.com/acme/deploy/', 'https://github.com/acme/deploy'],
    ['git@github.com:acme/deploy.git', 'ssh://git@github.com/acme/deploy'],
    ['ssh://git@github.com/acme/deploy', 'ssh://git@github.com/acme/deploy'],
    ['http://127.0.0.1:8080/apps.git', 'http://127.0.0.1:8080/apps'],
    ['file:///srv/git/apps.git', 'file:///srv/git/apps'],
  ])('%s → %s', (url, canonical) => {
    expect(canonicalRepositoryUrl(url)).toBe(canonical);
  });
});

describe('readGitOpsConfig', () => {
  it('is off when not set', () => {
    expect(readGitOpsConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads repositories with their delivery, and matches a repository by exact URL or prefix, first entry first', () => {
    const config = read({
      repositories: [
        {
          url: 'https://github.com/acme/deploy.git',
          delivery: 'pullRequest',
        },
        {
          url: 'http://127.0.0.1:8080/*',
          auth: { username: 'demo', password: 'secret' },
        },
        { url: 'https://git.acme.dev/*', allowDirectPatch: true },
      ],
    })!;
    expect(config.argoCdNamespace).toBe('argocd');
    expect(config.repositories[0]).toEqual({
      url: 'https://github.com/acme/deploy',
      delivery: 'pullRequest',
      branchPrefix: 'istio-rollouts/',
      allowDirectPatch: false,
    });
    expect(repositoryConfigFor(config, 'https://GITHUB.com/acme/deploy')).toBe(
      config.repositories[0],
    );
    expect(
      repositoryConfigFor(config, 'http://127.0.0.1:8080/apps.git'),
    ).toMatchObject({
      delivery: 'branch',
      auth: { username: 'demo', password: 'secret' },
    });
    expect(
      repositoryConfigFor(config, 'https://git.acme.dev/team/x'),
    ).toMatchObject({ allowDirectPatch: true });
    // A prefix is a prefix of the URL, not of a host that merely starts alike.
    expect(
      repositoryConfigFor(config, 'https://github.com/acme/deploy-other'),
    ).toBeUndefined();
    expect(
      repositoryConfigFor(config, 'https://git.acme.dev.evil.example/x'),
    ).toBeUndefined();
  });

  it.each([
    [
      { repositories: [{ url: 'https://x/*/y' }] },
      'istioRollouts.gitops.repositories[0].url may end in * but hold no other, got "https://x/*/y"',
    ],
    [
      { repositories: [{ url: 'https://me:pw@github.com/acme/x' }] },
      'istioRollouts.gitops.repositories[0].url must not hold credentials; set auth instead',
    ],
    [
      { repositories: [{ url: 'https://x/y', delivery: 'email' }] },
      'istioRollouts.gitops.repositories[0].delivery must be pullRequest or branch, got "email"',
    ],
    [
      { repositories: [{ url: 'https://x/y', branchPrefix: '../main' }] },
      'istioRollouts.gitops.repositories[0].branchPrefix is not a branch name prefix: "../main"',
    ],
    [
      { repositories: [{ url: 'https://x/y', auth: { username: 'a' } }] },
      'istioRollouts.gitops.repositories[0].auth needs token, or username and password',
    ],
  ])('refuses %j at startup, naming the field', (gitops, message) => {
    expect(() => read(gitops)).toThrow(`Istio Rollouts: ${message}`);
  });
});
