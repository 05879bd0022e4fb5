import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  KubeObject,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import { Octokit } from '@octokit/rest';
import { randomBytes } from 'node:crypto';
import type { ClusterClient } from '../kubernetes/ClusterClient';
import {
  ChangeDescription,
  commitMessage,
  pullRequestBody,
  unifiedDiff,
} from './changeText';
import type { GitSource } from './gitSource';
import {
  GitOpsConfig,
  GitOpsRepository,
  repositoryConfigFor,
} from './gitopsConfig';
import { GitHubRepository } from './GitHubRepository';
import type { ChangeRepository } from './delivery';
import { GitIdentity, GitWorkspace } from './GitWorkspace';
import { PlacementResult, placeChange, RepositoryReader } from './placement';
import { gitHubRepositoryOf } from './pullRequest';
import { readGitSource } from './readGitSource';

/**
 * Where a change of a VirtualService goes: the cluster (not synced from Git, no repository configured for it, or
 * `allowDirectPatch`), its Git repository, or nowhere the plugin can edit (rendered by Helm, a config management
 * plugin, …: the change is offered as text).
 */
export type GitOpsRoute =
  | { to: 'cluster'; note?: string }
  | { to: 'git'; source: GitSource; repository: GitOpsRepository }
  | { to: 'text'; reason: string; managedBy?: string };

/** The change as it would land in the repository: what a dry run shows. */
export interface GitOpsPreview {
  repositoryUrl: string;
  revision: string;
  managedBy: string;
  delivery: GitOpsRepository['delivery'];
  placement: PlacementResult;
  /** The placed change as a unified diff; absent when it cannot be placed. */
  diff?: string;
}

/** A change delivered to Git, and where a person reviews it. */
export interface GitOpsProposal {
  delivery: GitOpsRepository['delivery'];
  repositoryUrl: string;
  managedBy: string;
  branch: string;
  commit: string;
  /** The pull request's page (GitHub), if one was opened. */
  url?: string;
  pullRequest?: number;
  files: string[];
  diff: string;
}

/**
 * GitOps mode: the Git source of a managed VirtualService (from the cluster's Argo CD Application or Flux
 * Kustomization), the planner's patches placed in its manifests, and the change delivered as the repository's
 * owners configured — a pull request on GitHub, or a commit on a new branch of any git remote. The same patches a
 * direct action would send; nothing here decides what to change.
 */
export class GitOpsChanges {
  private readonly github: GithubCredentialsProvider;

  constructor(
    private readonly deps: {
      config: GitOpsConfig;
      integrations: ScmIntegrationRegistry;
      logger: LoggerService;
      /** How GitHub's API is reached; `new Octokit(…)` by default. */
      octokitFor?: (options: { token?: string; baseUrl?: string }) => Octokit;
    },
  ) {
    this.github = DefaultGithubCredentialsProvider.fromIntegrations(
      deps.integrations,
    );
  }

  /** Where a change of `virtualService` goes, from what its cluster says of its GitOps tool. */
  async route(
    client: Pick<ClusterClient, 'getCustomObject'>,
    virtualService: KubeObject,
    signal: AbortSignal,
  ): Promise<GitOpsRoute> {
    const found = await readGitSource(client, virtualService, {
      argoCdNamespace: this.deps.config.argoCdNamespace,
      signal,
    });
    if (!found.found) {
      return found.problem === 'not-gitops'
        ? { to: 'cluster' }
        : {
            to: 'text',
            reason: found.reason,
            ...(found.managedBy && { managedBy: found.managedBy }),
          };
    }
    const { source } = found;
    const repository = repositoryConfigFor(this.deps.config, source.repoUrl);
    if (!repository) {
      return {
        to: 'cluster',
        note: `${source.managedBy} syncs it from ${source.repoUrl}, for which istioRollouts.gitops names no repository: the change goes to the cluster, where the next sync may revert it.`,
      };
    }
    if (repository.allowDirectPatch) {
      return {
        to: 'cluster',
        note: `${source.managedBy} syncs it from ${source.repoUrl}; the operator lets the plugin patch it directly (allowDirectPatch).`,
      };
    }
    return { to: 'git', source, repository };
  }

  /** The change placed in the repository, not delivered: a dry run. */
  async preview(
    route: Extract<GitOpsRoute, { to: 'git' }>,
    patches: RolloutObjectPatch[],
  ): Promise<GitOpsPreview> {
    return this.withRepository(route, async reader => {
      const placement = await this.place(route, reader, patches);
      return {
        repositoryUrl: route.source.repoUrl,
        revision: route.source.revision,
        managedBy: route.source.managedBy,
        delivery: route.repository.delivery,
        placement,
        ...(placement.placed && { diff: unifiedDiff(placement.files) }),
      };
    });
  }

  /**
   * Places the change and delivers it; 409 when it cannot be placed with certainty (the reason and the change as
   * text are in the message), or when the branch exists.
   */
  async propose(
    route: Extract<GitOpsRoute, { to: 'git' }>,
    patches: RolloutObjectPatch[],
    change: Omit<ChangeDescription, 'files' | 'managedBy'> & {
      author: GitIdentity;
      /** Names the branch, e.g. the VirtualService. */
      slug: string;
    },
  ): Promise<GitOpsProposal> {
    const { source, repository } = route;
    return this.withRepository(route, async reader => {
      const placement = await this.place(route, reader, patches);
      if (!placement.placed) {
        throw new ConflictError(
          `The change cannot be placed in ${source.repoUrl} with certainty: ${placement.reason} Make it by hand:\n${placement.patch}`,
        );
      }
      const description: ChangeDescription = {
        ...change,
        managedBy: source.managedBy,
        files: placement.files,
      };
      const branch = `${repository.branchPrefix}${branchSlug(
        change.slug,
      )}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
      const message = commitMessage(description);
      const base = {
        delivery: repository.delivery,
        repositoryUrl: source.repoUrl,
        managedBy: source.managedBy,
        branch,
        files: placement.files.map(f => f.path),
        diff: unifiedDiff(placement.files),
      };
      const delivered = await reader.deliver({
        files: placement.files,
        message,
        branch,
        title: message.split('\n')[0],
        body: pullRequestBody(description),
        author: change.author,
        committer: this.deps.config.committer,
      });
      this.deps.logger.info(
        `GitOps: ${
          delivered.pullRequest
            ? `opened pull request #${delivered.pullRequest} from ${branch}`
            : `pushed ${delivered.commit.slice(0, 12)} to ${branch}`
        } of ${source.repoUrl} (${change.summary})`,
      );
      return { ...base, ...delivered };
    });
  }

  private place(
    route: Extract<GitOpsRoute, { to: 'git' }>,
    reader: RepositoryReader,
    patches: RolloutObjectPatch[],
  ): Promise<PlacementResult> {
    return placeChange({
      reader,
      source: {
        path: route.source.path,
        ...(route.source.directoryRecurse && { recurse: true }),
      },
      patches,
    });
  }

  /** The repository at the synced revision, for the time of `work`: GitHub's API for pull requests, else a clone. */
  private async withRepository<T>(
    route: Extract<GitOpsRoute, { to: 'git' }>,
    work: (reader: ChangeRepository) => Promise<T>,
  ): Promise<T> {
    const { source, repository } = route;
    if (repository.delivery === 'pullRequest') {
      const integration = this.deps.integrations.github.byUrl(source.repoUrl);
      const name =
        integration &&
        gitHubRepositoryOf(source.repoUrl, integration.config.host);
      if (!integration || !name) {
        throw new ConflictError(
          `${source.repoUrl} takes pull requests (istioRollouts.gitops), but no GitHub integration (integrations.github) covers it`,
        );
      }
      const { token } = await this.github.getCredentials({
        url: source.repoUrl,
      });
      const options = { token, baseUrl: integration.config.apiBaseUrl };
      const octokit =
        this.deps.octokitFor?.(options) ??
        new Octokit({ auth: token, baseUrl: options.baseUrl });
      return work(await GitHubRepository.open(octokit, name, source.revision));
    }
    const workspace = await GitWorkspace.clone({
      url: source.repoUrl,
      revision: source.revision,
      ...(repository.auth && { auth: repository.auth }),
    });
    try {
      return await work(workspace);
    } finally {
      await workspace.dispose();
    }
  }
}

/** A branch name's part from a VirtualService name: lower-case letters, digits and dashes. */
function branchSlug(slug: string): string {
  return (
    slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'change'
  );
}
