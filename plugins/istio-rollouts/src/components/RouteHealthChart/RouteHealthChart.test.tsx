import { mockBreakpoint, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { reviewsMetrics } from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { SubsetColorsProvider } from '../../hooks/subsetColors';
import { assignSubsetColors } from '../../lib/colors';
import { drawnSubsets, RouteHealthChart } from './RouteHealthChart';

const reviews = reviewsResponse.rollouts[0];
const route = reviews.routes[0];
const metrics = reviewsMetrics.rollouts[0];
const KEYS = ['v1', 'v2', 'v3'];

const render = (props = { route, metrics }) =>
  renderInTestApp(
    <SubsetColorsProvider keys={KEYS}>
      <RouteHealthChart {...props} />
    </SubsetColorsProvider>,
  );

/** The colours of the chart's lines, in the order drawn. */
const strokes = (chart: HTMLElement) =>
  Array.from(chart.querySelectorAll('.recharts-line-curve')).map(path =>
    path.getAttribute('stroke'),
  );

describe('RouteHealthChart', () => {
  afterEach(() => mockBreakpoint({ matches: false }));

  it('draws requests and errors per second of each subset in its traffic bar colour, named by a text summary', async () => {
    await render();
    const chart = screen.getByRole('img', {
      name: /^Requests and errors per second of http\[0\] reviews-route from \d\d:\d\d to \d\d:\d\d: v1 12\.4 req\/s, 99\.7 % success, p99 42 ms; v2 12\.1 req\/s, 95\.8 % success, p99 88 ms\.$/,
    });
    expect(chart.querySelector('svg')).not.toBeNull();
    const colours = assignSubsetColors(KEYS);
    // requests (solid) then errors (dashed), each subset in its colour
    expect(strokes(chart)).toEqual([
      colours.v1,
      colours.v2,
      colours.v1,
      colours.v2,
    ]);
    expect(
      chart.querySelectorAll('.recharts-line-curve[stroke-dasharray="4 3"]'),
    ).toHaveLength(2);
    expect(within(chart).getByText('v2 errors/s')).toBeInTheDocument();
    // the time axis reads HH:mm
    const ticks = Array.from(
      chart.querySelectorAll(
        '.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value',
      ),
    ).map(t => t.textContent);
    expect(ticks.length).toBeGreaterThan(0);
    for (const tick of ticks) expect(tick).toMatch(/^\d\d:\d\d$/);
  });

  it('shows p99 latency per subset on its own tab', async () => {
    await render();
    await userEvent.click(screen.getByRole('tab', { name: 'p99 latency' }));
    const chart = screen.getByRole('img', {
      name: /^p99 latency of http\[0\] reviews-route .*: v1 42 ms; v2 88 ms\.$/,
    });
    const colours = assignSubsetColors(KEYS);
    expect(strokes(chart)).toEqual([colours.v1, colours.v2]);
    expect(screen.getByRole('tabpanel')).toHaveAttribute(
      'aria-labelledby',
      screen.getByRole('tab', { name: 'p99 latency' }).id,
    );
  });

  it('draws nothing for a route none of whose subsets has a series', async () => {
    const quiet = {
      ...metrics,
      subsets: metrics.subsets.map(s => ({
        ...s,
        series: {
          requestsPerSecond: [],
          errorsPerSecond: [],
          latencyP99Ms: [],
        },
      })),
    };
    expect(drawnSubsets(route, quiet)).toEqual([]);
    expect(drawnSubsets(route, undefined)).toEqual([]);
    await render({ route, metrics: quiet });
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('waits behind a button on a phone', async () => {
    mockBreakpoint({ matches: true });
    await render();
    expect(screen.queryByRole('img')).toBeNull();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show health chart' }),
    );
    expect(
      screen.getByRole('img', { name: /^Requests and errors per second/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Hide health chart' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });
});
