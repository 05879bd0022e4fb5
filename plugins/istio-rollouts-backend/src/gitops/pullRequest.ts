import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { Octokit } from '@octokit/rest';

/** A GitHub repository, by owner and name. */
export interface GitHubRepository {
  owner: string;
  repo: string;
}

/** What a pull request was opened as. */
export interface OpenedPullRequest {
  number: number;
  /** The pull request's page. */
  url: string;
}

/**
 * The owner and name of a GitHub repository URL on `host` (github.com, or a GitHub Enterprise host), as Argo CD
 * and Flux write it (`https://github.com/acme/deploy.git`, `git@github.com:acme/deploy`); undefined for another
 * host or a URL that names no repository.
 */
export function gitHubRepositoryOf(
  repoUrl: string,
  host: string,
): GitHubRepository | undefined {
  const scp = /^[A-Za-z0-9._-]+@([^:/]+):(?!\/\/)(.+)$/.exec(repoUrl);
  let urlHost: string;
  let path: string;
  if (scp) {
    [, urlHost, path] = scp;
  } else {
    try {
      const url = new URL(repoUrl);
      urlHost = url.host;
      path = url.pathname;
    } catch {
      return undefined;
    }
  }
  if (urlHost.toLowerCase() !== host.toLowerCase()) return undefined;
  const parts = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2 || parts.some(p => !/^[A-Za-z0-9._-]+$/.test(p))) {
    return undefined;
  }
  return { owner: parts[0], repo: parts[1] };
}

/**
 * Opens a pull request from the branch just pushed (`head`) into `base`, through GitHub's REST API. GitHub's
 * refusals become the errors the plugin answers with: a token it refuses or that may not open pull requests (403),
 * a repository it does not show that token (404), a pull request already open for the branch (409).
 */
export async function openPullRequest(
  octokit: Octokit,
  request: GitHubRepository & {
    base: string;
    head: string;
    title: string;
    body: string;
  },
): Promise<OpenedPullRequest> {
  const where = `${request.owner}/${request.repo}`;
  try {
    const { data } = await octokit.rest.pulls.create({
      owner: request.owner,
      repo: request.repo,
      base: request.base,
      head: request.head,
      title: request.title,
      body: request.body,
      maintainer_can_modify: true,
    });
    return { number: data.number, url: data.html_url };
  } catch (e) {
    const status = (e as { status?: number }).status;
    const message = gitHubMessage(e);
    switch (status) {
      case 401:
      case 403:
        throw new NotAllowedError(
          `GitHub refused to open a pull request on ${where} with the configured credentials: ${message}`,
        );
      case 404:
        throw new NotFoundError(
          `GitHub shows no repository ${where} to the configured credentials`,
        );
      case 422:
        if (/already exists/i.test(message)) {
          throw new ConflictError(
            `A pull request from ${request.head} into ${request.base} is already open on ${where}`,
          );
        }
        throw new ConflictError(
          `GitHub refused the pull request on ${where}: ${message}`,
        );
      default:
        throw new ServiceUnavailableError(
          `GitHub did not open the pull request on ${where}: ${message}`,
        );
    }
  }
}

/** GitHub's own words about a refusal: its message, and the first validation error's. */
function gitHubMessage(e: unknown): string {
  const data = (
    e as {
      response?: {
        data?: { message?: string; errors?: Array<{ message?: string }> };
      };
    }
  ).response?.data;
  const detail = data?.errors?.find(x => x.message)?.message;
  return (
    [data?.message, detail].filter(Boolean).join(': ') ||
    (e as Error).message ||
    'no reason given'
  );
}
