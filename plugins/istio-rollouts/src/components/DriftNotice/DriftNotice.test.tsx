import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DriftNotice } from './DriftNotice';

const now = new Date('2026-12-14T12:10:00Z');
const expected = [
  { host: 'reviews', subset: 'v1', port: 9080, weight: 80 },
  { host: 'reviews', subset: 'v2', port: 9080, weight: 20 },
];

describe('DriftNotice', () => {
  it('says the route was changed outside Backstage, by whom and when, and what was set here last', async () => {
    await renderInTestApp(
      <DriftNotice
        now={now}
        drift={{
          detectedAt: '2026-12-14T12:09:30.000Z',
          changedAt: '2026-12-14T12:07:00Z',
          by: 'kubectl-patch',
          resourceVersion: '44',
          expected,
        }}
      />,
    );
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent('Changed outside Backstage');
    expect(note).toHaveTextContent(
      'kubectl-patch changed this route 3 minutes ago (resourceVersion 44).',
    );
    expect(note).toHaveTextContent(
      'The last change made here set v1 80% / v2 20%',
    );
    expect(note.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-12-14T12:07:00Z',
    );
  });

  it('says when the cluster does not tell who, dated by when it was found', async () => {
    await renderInTestApp(
      <DriftNotice
        now={now}
        drift={{
          detectedAt: '2026-12-14T12:05:00.000Z',
          resourceVersion: '44',
          expected,
        }}
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Someone changed this route outside Backstage 5 minutes ago (resourceVersion 44); the VirtualService’s managedFields don’t say who.',
    );
  });
});
