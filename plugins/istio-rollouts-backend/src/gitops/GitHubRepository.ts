import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { Octokit } from '@octokit/rest';
import type { FileChange } from './changeText';
import type { GitIdentity } from './GitWorkspace';
import type {
  ChangeRepository,
  ChangeToDeliver,
  DeliveredChange,
} from './delivery';
import type { DirectoryEntry } from './placement';
import {
  GitHubRepository as RepositoryName,
  OpenedPullRequest,
  openPullRequest,
} from './pullRequest';

/** A commit that was pushed, and where to see it. */
export interface ProposedPullRequest extends OpenedPullRequest {
  branch: string;
  commit: string;
}

/**
 * One revision of a GitHub repository through its REST API, with no clone: files are read with the contents API
 * (for the placement), and a change becomes one commit on a new branch (git data API: a tree on the revision's,
 * a commit, a ref that must not exist yet) and a pull request into the branch the GitOps tool syncs. As Backstage's
 * scaffolder publishes to GitHub, with the credentials of `integrations.github`.
 */
export class GitHubRepository implements ChangeRepository {
  private readonly files = new Map<string, Promise<string | undefined>>();

  private constructor(
    private readonly octokit: Octokit,
    readonly name: RepositoryName,
    /** The branch changes are proposed into. */
    readonly baseBranch: string,
    /** The commit files are read at and changes are made on. */
    readonly baseCommit: string,
  ) {}

  /**
   * Resolves `revision` (a branch the GitOps tool syncs; `HEAD` for the default branch) to its commit. A revision
   * that is a tag or a commit cannot take a pull request: 409.
   */
  static async open(
    octokit: Octokit,
    name: RepositoryName,
    revision: string,
  ): Promise<GitHubRepository> {
    const where = `${name.owner}/${name.repo}`;
    const branch = await gitHubCall(where, async () =>
      revision === 'HEAD'
        ? (
            await octokit.rest.repos.get({ ...name })
          ).data.default_branch
        : revision,
    );
    const ref = await gitHubCall(
      where,
      () => octokit.rest.git.getRef({ ...name, ref: `heads/${branch}` }),
      () => {
        throw new ConflictError(
          `${where} has no branch "${branch}": a pull request needs the branch the GitOps tool syncs, not a tag or a commit`,
        );
      },
    );
    return new GitHubRepository(octokit, name, branch, ref.data.object.sha);
  }

  /** A file's text at the base commit, or undefined when there is none. */
  readFile(path: string): Promise<string | undefined> {
    let file = this.files.get(path);
    if (!file) {
      file = this.content(path).then(data =>
        data && !Array.isArray(data) && data.type === 'file'
          ? Buffer.from(data.content ?? '', 'base64').toString('utf8')
          : undefined,
      );
      this.files.set(path, file);
    }
    return file;
  }

  /** A folder's files and folders at the base commit, sorted by name; undefined when there is none. */
  async listDirectory(path: string): Promise<DirectoryEntry[] | undefined> {
    const data = await this.content(path);
    if (!Array.isArray(data)) return undefined;
    return data
      .map(
        (e): DirectoryEntry => ({
          name: e.name,
          type: e.type === 'dir' ? 'directory' : 'file',
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The change as a pull request (see `proposePullRequest`); GitHub records the committer itself. */
  async deliver(change: ChangeToDeliver): Promise<DeliveredChange> {
    const opened = await this.proposePullRequest(change);
    return {
      commit: opened.commit,
      url: opened.url,
      pullRequest: opened.number,
    };
  }

  /**
   * Commits `files` on top of the base commit as the new branch `branch` (409 when it exists: a change never moves
   * someone's branch) and opens a pull request from it into the base branch.
   */
  async proposePullRequest(change: {
    files: FileChange[];
    message: string;
    branch: string;
    title: string;
    body: string;
    author: GitIdentity;
  }): Promise<ProposedPullRequest> {
    const { name, octokit } = this;
    const where = `${name.owner}/${name.repo}`;
    const commit = await gitHubCall(where, async () => {
      const base = await octokit.rest.git.getCommit({
        ...name,
        commit_sha: this.baseCommit,
      });
      const tree = await octokit.rest.git.createTree({
        ...name,
        base_tree: base.data.tree.sha,
        tree: change.files.map(f => ({
          path: f.path,
          mode: '100644' as const,
          type: 'blob' as const,
          content: f.after,
        })),
      });
      const created = await octokit.rest.git.createCommit({
        ...name,
        message: change.message,
        tree: tree.data.sha,
        parents: [this.baseCommit],
        author: change.author,
      });
      return created.data.sha;
    });
    await gitHubCall(
      where,
      () =>
        octokit.rest.git.createRef({
          ...name,
          ref: `refs/heads/${change.branch}`,
          sha: commit,
        }),
      undefined,
      message =>
        /already exists/i.test(message)
          ? new ConflictError(
              `${where} already has a branch "${change.branch}"`,
            )
          : undefined,
    );
    const opened = await openPullRequest(octokit, {
      ...name,
      base: this.baseBranch,
      head: change.branch,
      title: change.title,
      body: change.body,
    });
    return { ...opened, branch: change.branch, commit };
  }

  private content(path: string) {
    const where = `${this.name.owner}/${this.name.repo}`;
    return gitHubCall(
      where,
      async () =>
        (
          await this.octokit.rest.repos.getContent({
            ...this.name,
            path: path === '.' ? '' : path.replace(/^\/+/, ''),
            ref: this.baseCommit,
          })
        ).data,
      () => undefined,
    );
  }
}

/**
 * Runs a GitHub call, answering its refusals as the plugin's errors: a refused token 403, a repository the token
 * cannot see 404 (or what `onNotFound` makes of it), a 422 what `onUnprocessable` makes of GitHub's message, and
 * anything else 503.
 */
async function gitHubCall<T, U = never>(
  where: string,
  call: () => Promise<T>,
  /** What a 404 means here: a value, or (thrown) the error to answer. */
  onNotFound?: () => U,
  onUnprocessable?: (message: string) => Error | undefined,
): Promise<T | U> {
  try {
    return await call();
  } catch (e) {
    const status = (e as { status?: number }).status;
    const message =
      (e as { response?: { data?: { message?: string } } }).response?.data
        ?.message ?? (e as Error).message;
    if (status === 401 || status === 403) {
      throw new NotAllowedError(
        `GitHub refused the configured credentials for ${where}: ${message}`,
      );
    }
    if (status === 404) {
      if (onNotFound) return onNotFound();
      throw new NotFoundError(
        `GitHub shows no repository ${where} to the configured credentials`,
      );
    }
    if (status === 422) {
      const error = onUnprocessable?.(message);
      if (error) throw error;
    }
    throw new ServiceUnavailableError(
      `GitHub did not answer for ${where}: ${message}`,
    );
  }
}
