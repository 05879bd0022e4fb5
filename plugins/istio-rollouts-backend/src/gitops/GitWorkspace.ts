import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  GitAuth,
  GitCommandError,
  gitEnvironment,
  runGit,
  DEFAULT_GIT_TIMEOUT_MS,
} from './git';
import type {
  ChangeRepository,
  ChangeToDeliver,
  DeliveredChange,
} from './delivery';
import type { DirectoryEntry } from './placement';

/** Who a commit is by. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** A branch, tag or commit name: what git accepts, and never an option (`-…`) or a range. */
const REVISION = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/@{}^~+-]{1,255}$/;

/**
 * A shallow working copy of one revision of a repository, in a temporary folder of its own, with the git CLI:
 * read and change files, commit, and push the commit to a new branch. Files are read and written only inside the
 * working copy (no `..`, no absolute paths, no symbolic link leading out). `dispose` removes it.
 */
export class GitWorkspace implements ChangeRepository {
  private constructor(
    /** The working copy's root. */
    readonly dir: string,
    /** The commit the copy was made from. */
    readonly baseCommit: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Fetches `revision` (a branch, tag or commit; `HEAD` for the remote's default branch) of `url` with depth 1.
   * 404 when the remote has no such revision.
   */
  static async clone(options: {
    url: string;
    revision: string;
    auth?: GitAuth;
    timeoutMs?: number;
  }): Promise<GitWorkspace> {
    const { url, revision } = options;
    if (!REVISION.test(revision)) {
      throw new InputError(
        `revision "${revision}" is not a branch, tag or commit name`,
      );
    }
    if (url.startsWith('-')) {
      throw new InputError(`"${url}" is not a repository URL`);
    }
    const root = await fs.mkdtemp(
      path.join(os.tmpdir(), 'istio-rollouts-git-'),
    );
    const dir = path.join(root, 'work');
    const env = gitEnvironment(options.auth, root);
    const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const git = (action: string, args: string[], cwd = dir) =>
      runGit(args, { cwd, env, action, timeoutMs });
    try {
      await fs.mkdir(dir);
      await git('init', ['init', '-q']);
      await git('remote add', ['remote', 'add', 'origin', '--', url]);
      try {
        await git(`fetch ${revision}`, [
          'fetch',
          '-q',
          '--depth',
          '1',
          '--no-tags',
          'origin',
          '--',
          revision,
        ]);
      } catch (e) {
        if (
          e instanceof GitCommandError &&
          /couldn't find remote ref|not our ref|unadvertised object/i.test(
            e.stderr,
          )
        ) {
          throw new NotFoundError(
            `The repository has no revision "${revision}"`,
          );
        }
        throw e;
      }
      await git('checkout', ['checkout', '-q', 'FETCH_HEAD']);
      const baseCommit = (await git('rev-parse', ['rev-parse', 'HEAD'])).trim();
      return new GitWorkspace(dir, baseCommit, env, timeoutMs);
    } catch (e) {
      await fs.rm(root, { recursive: true, force: true });
      throw e;
    }
  }

  /** A file's text, or undefined when there is no such file. */
  async readFile(relativePath: string): Promise<string | undefined> {
    const file = await this.resolve(relativePath);
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw e;
    }
  }

  /** A folder's files and folders, sorted by name, or undefined when there is no such folder. */
  async listDirectory(
    relativePath: string,
  ): Promise<DirectoryEntry[] | undefined> {
    const folder = await this.resolve(relativePath);
    try {
      const entries = await fs.readdir(folder, { withFileTypes: true });
      return entries
        .filter(e => e.name !== '.git')
        .map(
          (e): DirectoryEntry => ({
            name: e.name,
            type: e.isDirectory() ? 'directory' : 'file',
          }),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  /** Replaces a file's text (the file must exist: a change edits manifests, it never adds any). */
  async writeFile(relativePath: string, text: string): Promise<void> {
    const file = await this.resolve(relativePath);
    await fs.access(file);
    await fs.writeFile(file, text, 'utf8');
  }

  /** Commits every change of tracked files; the new commit's id. */
  async commit(options: {
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const { author, committer } = options;
    const env = {
      ...this.env,
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
    };
    // The message from a file: it is the user's reason, never an argument git could read as an option.
    const file = path.join(path.dirname(this.dir), 'COMMIT_MESSAGE');
    await fs.writeFile(file, options.message, 'utf8');
    const git = (action: string, args: string[]) =>
      runGit(args, { cwd: this.dir, env, action, timeoutMs: this.timeoutMs });
    await git('commit', ['commit', '-q', '-a', '-F', file]);
    return (await git('rev-parse', ['rev-parse', 'HEAD'])).trim();
  }

  /**
   * Pushes the current commit as the new branch `branch`; 409 when the remote already has a branch of that name
   * (a change never moves someone's branch).
   */
  async pushNewBranch(branch: string): Promise<void> {
    if (!REVISION.test(branch) || branch.includes('@{')) {
      throw new InputError(`"${branch}" is not a branch name`);
    }
    try {
      await runGit(
        [
          'push',
          '-q',
          '--porcelain',
          // An empty expected value: the branch must not exist yet, even where the push would fast-forward it.
          `--force-with-lease=refs/heads/${branch}:`,
          'origin',
          `HEAD:refs/heads/${branch}`,
        ],
        {
          cwd: this.dir,
          env: this.env,
          action: `push ${branch}`,
          timeoutMs: this.timeoutMs,
        },
      );
    } catch (e) {
      if (
        e instanceof GitCommandError &&
        /\[rejected\]|stale info|already exists|non-fast-forward|fetch first/i.test(
          e.stderr,
        )
      ) {
        throw new ConflictError(
          `The repository already has a branch "${branch}"`,
        );
      }
      throw e;
    }
  }

  /** Writes the files, commits them and pushes the commit as the new branch (a branch of that name: 409). */
  async deliver(change: ChangeToDeliver): Promise<DeliveredChange> {
    for (const file of change.files) {
      await this.writeFile(file.path, file.after);
    }
    const commit = await this.commit(change);
    await this.pushNewBranch(change.branch);
    return { commit };
  }

  /** Removes the working copy. */
  async dispose(): Promise<void> {
    await fs.rm(path.dirname(this.dir), { recursive: true, force: true });
  }

  /** The absolute path of a path in the working copy; 400 for one that would leave it. */
  private async resolve(relativePath: string): Promise<string> {
    const normal = path.posix.normalize(relativePath.replace(/^\.?\/+/, ''));
    if (
      path.posix.isAbsolute(relativePath) ||
      normal === '..' ||
      normal.startsWith('../') ||
      normal.split('/').includes('.git')
    ) {
      throw new InputError(`"${relativePath}" is not a path in the repository`);
    }
    const full = path.join(this.dir, normal);
    // A symbolic link may lead out of the copy: follow it and check where it lands.
    const real = await fs.realpath(full).catch(() => full);
    const root = await fs.realpath(this.dir);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
      throw new InputError(`"${relativePath}" leads out of the repository`);
    }
    return full;
  }
}
