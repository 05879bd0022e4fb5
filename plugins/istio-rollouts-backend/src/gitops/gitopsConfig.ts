import type { Config } from '@backstage/config';
import type { GitAuth } from './git';

const KEY = 'istioRollouts.gitops';

/** How a change reaches a repository: a pull request on GitHub, or a commit on a new branch of any git remote. */
export type GitOpsDelivery = 'pullRequest' | 'branch';

/** What the operator set for the repositories one entry matches. */
export interface GitOpsRepository {
  /** The URL as written, possibly ending in `*`; compared with {@link canonicalRepositoryUrl}s. */
  url: string;
  delivery: GitOpsDelivery;
  /** Branches the plugin pushes start with this (default `istio-rollouts/`). */
  branchPrefix: string;
  /**
   * Patch the cluster directly instead, as without GitOps mode: only where Argo CD or Flux leave the plugin's field
   * manager alone (see the README), or the change is reverted at the next sync.
   */
  allowDirectPatch: boolean;
  /** For `branch` delivery over HTTP(S): what git sends (a pull request uses the GitHub integration's). */
  auth?: GitAuth;
}

/** `istioRollouts.gitops`, checked. */
export interface GitOpsConfig {
  /** Where Argo CD's Applications are when a tracking id does not say (default `argocd`). */
  argoCdNamespace: string;
  repositories: GitOpsRepository[];
  /** Who the plugin's commits are committed by; the author is the user. */
  committer: { name: string; email: string };
}

function fail(key: string, what: string): never {
  throw new Error(`Istio Rollouts: ${key} ${what}`);
}

/**
 * A repository URL as Argo CD and Flux may both write it, for comparing: lower-case scheme and host, no
 * credentials, no trailing slash or `.git`. `git@github.com:org/repo` (scp-like) becomes `ssh://git@github.com/org/repo`.
 */
export function canonicalRepositoryUrl(url: string): string {
  const scp = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(url);
  const raw = scp ? `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}` : url;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return url.trim();
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  const user = parsed.protocol === 'ssh:' && parsed.username ? 'git@' : '';
  return `${parsed.protocol}//${user}${parsed.host.toLowerCase()}${path}`;
}

/** Whether an entry's `url` (exact, or a prefix ending in `*`) names the repository. */
export function repositoryMatches(pattern: string, repoUrl: string): boolean {
  const url = canonicalRepositoryUrl(repoUrl);
  if (pattern.endsWith('*')) return url.startsWith(pattern.slice(0, -1));
  return canonicalRepositoryUrl(pattern) === url;
}

/** The first entry naming the repository, in the order configured. */
export function repositoryConfigFor(
  config: GitOpsConfig,
  repoUrl: string,
): GitOpsRepository | undefined {
  return config.repositories.find(r => repositoryMatches(r.url, repoUrl));
}

function readAuth(c: Config, key: string): GitAuth | undefined {
  const auth = c.getOptionalConfig('auth');
  if (!auth) return undefined;
  const token = auth.getOptionalString('token');
  const username = auth.getOptionalString('username');
  const password = auth.getOptionalString('password');
  if (token && (username || password)) {
    fail(
      `${key}.auth`,
      'takes either token or username and password, not both',
    );
  }
  if (token) return { bearerToken: token };
  if (username && password) return { username, password };
  return fail(`${key}.auth`, 'needs token, or username and password');
}

/**
 * Reads `istioRollouts.gitops`; undefined when it is not set (GitOps-managed VirtualServices are then patched
 * directly, with a warning, as before). Throws at startup on anything it cannot use, naming the field.
 */
export function readGitOpsConfig(config: Config): GitOpsConfig | undefined {
  const c = config.getOptionalConfig(KEY);
  if (!c) return undefined;
  const repositories = (c.getOptionalConfigArray('repositories') ?? []).map(
    (r, i): GitOpsRepository => {
      const key = `${KEY}.repositories[${i}]`;
      const url = r.getString('url');
      if (url.indexOf('*') !== -1 && url.indexOf('*') !== url.length - 1) {
        fail(`${key}.url`, `may end in * but hold no other, got "${url}"`);
      }
      if (/^[a-z+]+:\/\/[^/]*@/i.test(url)) {
        fail(`${key}.url`, 'must not hold credentials; set auth instead');
      }
      const delivery = r.getOptionalString('delivery') ?? 'branch';
      if (delivery !== 'pullRequest' && delivery !== 'branch') {
        fail(
          `${key}.delivery`,
          `must be pullRequest or branch, got "${delivery}"`,
        );
      }
      const branchPrefix =
        r.getOptionalString('branchPrefix') ?? 'istio-rollouts/';
      if (
        !/^[A-Za-z0-9._/-]*$/.test(branchPrefix) ||
        branchPrefix.includes('..')
      ) {
        fail(
          `${key}.branchPrefix`,
          `is not a branch name prefix: "${branchPrefix}"`,
        );
      }
      const auth = readAuth(r, key);
      return {
        url: url.endsWith('*') ? url : canonicalRepositoryUrl(url),
        delivery,
        branchPrefix,
        allowDirectPatch: r.getOptionalBoolean('allowDirectPatch') ?? false,
        ...(auth && { auth }),
      };
    },
  );
  return {
    argoCdNamespace: c.getOptionalString('argoCdNamespace') ?? 'argocd',
    repositories,
    committer: {
      name: c.getOptionalString('committer.name') ?? 'Backstage Istio Rollouts',
      email:
        c.getOptionalString('committer.email') ??
        'istio-rollouts@backstage.invalid',
    },
  };
}
