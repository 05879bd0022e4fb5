import type { FileChange } from './changeText';
import type { GitIdentity } from './GitWorkspace';
import type { RepositoryReader } from './placement';

/** One change as a repository takes it: the edited files, the commit, the new branch, and a pull request's words. */
export interface ChangeToDeliver {
  files: FileChange[];
  message: string;
  /** The new branch the commit goes on; one that exists is never moved (409). */
  branch: string;
  author: GitIdentity;
  /** Who commits, where the repository records it (a clone; GitHub records its app or token owner). */
  committer: GitIdentity;
  /** A pull request's title and body, where the repository opens one. */
  title: string;
  body: string;
}

/** Where a delivered change is: its commit, and the pull request opened for it, if any. */
export interface DeliveredChange {
  commit: string;
  url?: string;
  pullRequest?: number;
}

/**
 * A repository a change is placed in (read at the revision the GitOps tool syncs) and delivered to as its owners
 * configured: a clone that pushes a new branch, or GitHub's API that opens a pull request.
 */
export interface ChangeRepository extends RepositoryReader {
  deliver(change: ChangeToDeliver): Promise<DeliveredChange>;
}
