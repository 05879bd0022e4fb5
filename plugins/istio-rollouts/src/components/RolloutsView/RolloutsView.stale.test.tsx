import type {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { getContrastRatio } from '@material-ui/core/styles';
import { act, screen, within } from '@testing-library/react';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { textOn } from '../../lib/colors';
import { RolloutsView } from './RolloutsView';

const WEST = 'demo-west/bookinfo/reviews';

/** reviews while demo-west is not answering: its rollout as last read, 40 s ago. */
function westSilent(lastSeen: string): RolloutsResponse {
  return {
    clusters: [
      { name: 'demo-east', status: 'ok' },
      {
        name: 'demo-west',
        status: 'error',
        error: {
          reason: 'Timeout',
          message: 'Cluster "demo-west" did not answer within 5000 ms',
        },
      },
    ],
    rollouts: reviewsResponse.rollouts.map(
      (r): Rollout =>
        r.id === WEST
          ? {
              ...r,
              stale: { lastSeen, reason: 'Timeout' },
              readOnly: {
                reason: 'ClusterUnavailable',
                message:
                  'Cluster demo-west is not answering: this is its last-known state, and nothing can be changed there until it answers again.',
              },
              allowedActions: [],
            }
          : r,
    ),
  };
}

/** The fills of a card's traffic bar segments, with the colour of their labels. */
function segments(card: HTMLElement) {
  return within(card)
    .getAllByTitle(/^v\d: /)
    .map(el => ({
      name: el.title.split(':')[0],
      fill: (el as HTMLElement).style.backgroundColor,
    }));
}

function rgbToHex(rgb: string): string {
  const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
  return `#${[r, g, b].map(v => v.toString(16).padStart(2, '0')).join('')}`;
}

describe('RolloutsView, when a cluster is not answering', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-14T10:00:40Z') });
  });
  afterEach(() => jest.useRealTimers());

  async function render() {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(westSilent('2026-12-14T10:00:00.000Z'));
    await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    const card = await screen.findByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-west, last known',
    });
    const fresh = screen.getByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-east',
    });
    return { card, fresh };
  }

  it('shows its last-known card greyed, under the cluster’s error, saying since when', async () => {
    const { card, fresh } = await render();

    // The panel says why, once; the card says since when.
    const panel = screen.getByRole('alert');
    expect(panel).toHaveTextContent(
      'demo-west did not answer in time (Timeout)',
    );
    expect(panel).toHaveTextContent(
      'Its last-known VirtualService is shown below, greyed and read-only',
    );
    expect(panel).not.toHaveTextContent('last seen');
    expect(within(card).getByRole('note')).toHaveTextContent(
      'demo-west is not answering — last seen 40 seconds ago',
    );
    expect(card).toHaveAttribute('data-stale', 'true');
    expect(fresh).not.toHaveAttribute('data-stale');
    expect(within(fresh).queryByRole('note')).toBeNull();

    // The split is still there, in muted colours whose labels keep WCAG AA.
    const greyed = segments(card);
    const coloured = segments(fresh);
    expect(greyed.map(s => s.name)).toEqual(['v1', 'v2']);
    for (const segment of greyed) {
      const live = coloured.find(s => s.name === segment.name)!;
      expect(segment.fill).not.toBe(live.fill);
      const fill = rgbToHex(segment.fill);
      expect(getContrastRatio(fill, textOn(fill))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('disables every control of the stale card with the reason, and none of the fresh one', async () => {
    const { card, fresh } = await render();
    const controls = within(card).getAllByRole('button');
    // The route's actions are there, every one of them off.
    expect(controls.length).toBeGreaterThanOrEqual(2);
    for (const button of controls) {
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(/demo-west is not answering/);
    }
    expect(
      within(fresh)
        .getAllByRole('button')
        .filter(b => !(b as HTMLButtonElement).disabled).length,
    ).toBeGreaterThan(0);
  });

  it('keeps “last seen” current while the page is open', async () => {
    const { card } = await render();
    const notice = within(card).getByRole('note');
    expect(notice).toHaveTextContent('last seen 40 seconds ago');
    await act(() => jest.advanceTimersByTimeAsync(20_000));
    expect(notice).toHaveTextContent('last seen 1 minute ago');
  });
});
