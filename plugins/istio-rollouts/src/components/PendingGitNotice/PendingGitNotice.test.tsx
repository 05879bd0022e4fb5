import { renderInTestApp } from '@backstage/test-utils';
import type { PendingGitChange } from '@internal/plugin-istio-rollouts-common';
import { screen } from '@testing-library/react';
import { PendingGitNotice } from './PendingGitNotice';

const now = new Date('2026-12-14T12:10:00Z');

const pending = (gitops: Partial<PendingGitChange['gitops']> = {}) => ({
  eventId: '41',
  proposedAt: '2026-12-14T12:08:00.000Z',
  actor: 'user:default/guest',
  summary: 'Switch to green',
  gitops: {
    repositoryUrl: 'http://127.0.0.1:6580/gitops.git',
    managedBy: 'Application argocd/gorilla-sfx-demo',
    delivery: 'branch' as const,
    branch: 'istio-rollouts/gorilla-sfx-demo-1',
    commit: '0123456789abcdef',
    ...gitops,
  },
});

describe('PendingGitNotice', () => {
  it('says where a change proposed on a branch is, who proposed it, and who applies it', async () => {
    await renderInTestApp(<PendingGitNotice now={now} pending={pending()} />);
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent('Pending in Git');
    expect(note).toHaveTextContent(
      'Switch to greenProposed by guest 2 minutes ago in branch istio-rollouts/gorilla-sfx-demo-1, commit 0123456 of http://127.0.0.1:6580/gitops.git.',
    );
    expect(note).toHaveTextContent(
      'Application argocd/gorilla-sfx-demo applies it once merged',
    );
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('names and links the pull request when one was opened', async () => {
    await renderInTestApp(
      <PendingGitNotice
        now={now}
        pending={pending({
          delivery: 'pullRequest',
          pullRequest: 12,
          url: 'https://github.com/acme/mesh/pull/12',
        })}
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Pending in pull request #12',
    );
    expect(
      screen.getByRole('link', { name: /^pull request #12/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/mesh/pull/12');
  });
});
