import { renderInTestApp } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import { StaleNotice } from './StaleNotice';

describe('StaleNotice', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-14T10:00:40Z') });
  });
  afterEach(() => jest.useRealTimers());

  it('says which cluster is silent and since when, as a note rather than a live region', async () => {
    await renderInTestApp(
      <StaleNotice
        cluster="demo-west"
        stale={{ lastSeen: '2026-12-14T10:00:00.000Z', reason: 'Unreachable' }}
      />,
    );
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent(
      'demo-west is not answering — last seen 40 seconds ago',
    );
    expect(note).toHaveTextContent('(Unreachable)');
    expect(note).toHaveTextContent('controls are off until demo-west answers');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(note.querySelector('time')).toHaveAttribute(
      'datetime',
      '2026-12-14T10:00:00.000Z',
    );
  });

  it('words the time again as it passes', async () => {
    await renderInTestApp(
      <StaleNotice
        cluster="demo-west"
        stale={{ lastSeen: '2026-12-14T10:00:00.000Z', reason: 'Timeout' }}
      />,
    );
    await act(() => jest.advanceTimersByTimeAsync(5_000));
    expect(screen.getByRole('note')).toHaveTextContent(
      'last seen 45 seconds ago',
    );
    await act(() => jest.advanceTimersByTimeAsync(3 * 60_000));
    expect(screen.getByRole('note')).toHaveTextContent(
      'last seen 4 minutes ago',
    );
  });
});
