import { createTwoFilesPatch } from 'diff';

/** One file a change edits: its path in the repository, and its text before and after. */
export interface FileChange {
  path: string;
  before: string;
  after: string;
}

/** The change as a unified diff, `git diff` style, with three lines of context: what a reviewer reads. */
export function unifiedDiff(files: FileChange[]): string {
  return files
    .map(f =>
      createTwoFilesPatch(
        `a/${f.path}`,
        `b/${f.path}`,
        f.before,
        f.after,
        '',
        '',
        {
          context: 3,
        },
      )
        // Git's header: no `Index:`/`===` lines, no tab after the file names.
        .replace(/^(Index: .*\n)?=+\n/, '')
        .replace(/^(---|\+\+\+) (.*?)\t*$/gm, '$1 $2'),
    )
    .join('');
}

/** What a commit or pull request says about the change. */
export interface ChangeDescription {
  /** The action's summary, e.g. `http[0] reviews-route: v1 90→75, v2 10→25`. */
  summary: string;
  /** The VirtualService and cluster, e.g. `VirtualService bookinfo/reviews in demo-east`. */
  target: string;
  /** Who asked, as an entity ref, and for which catalog entity. */
  actor: string;
  entityRef: string;
  reason?: string;
  /** Who syncs the repository into the cluster, e.g. `Application argocd/bookinfo`. */
  managedBy: string;
  files: FileChange[];
}

/** The commit message: the summary as its subject, then who, why and where. */
export function commitMessage(change: ChangeDescription): string {
  return [
    `${change.target}: ${change.summary}`,
    '',
    ...(change.reason ? [`Reason: ${change.reason}`] : []),
    `Requested by ${change.actor} for ${change.entityRef} in Backstage (Istio Rollouts).`,
    `${change.managedBy} applies it to the cluster once merged.`,
    '',
  ].join('\n');
}

/** The pull request's body, in GitHub Markdown: the change in words, the reason, and the diff. */
export function pullRequestBody(change: ChangeDescription): string {
  return [
    `**${change.summary}** on ${change.target}.`,
    '',
    ...(change.reason ? [`> ${change.reason.replace(/\n/g, '\n> ')}`, ''] : []),
    `Requested by \`${change.actor}\` for \`${change.entityRef}\` in Backstage (Istio Rollouts). ${change.managedBy} applies it to the cluster once merged; the entity's Rollouts tab shows it as pending until then.`,
    '',
    '```diff',
    unifiedDiff(change.files).trimEnd(),
    '```',
    '',
  ].join('\n');
}
