import {
  MetricPoint,
  RolloutMetrics,
  Route,
  routeLabel,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import ShowChartIcon from '@material-ui/icons/ShowChart';
import { useId, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useSubsetColors } from '../../hooks/subsetColors';
import {
  describeFigures,
  formatClock,
  formatLatency,
  formatRate,
  subsetMetricsOf,
} from '../../lib/metrics';
import { destinationKey } from '../../lib/split';

/** The chart's height; its width follows the card. */
export const CHART_HEIGHT = 180;

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    minWidth: 0,
  },
  tabs: {
    minHeight: theme.spacing(4.5),
  },
  tab: {
    minHeight: theme.spacing(4.5),
    minWidth: 0,
    padding: theme.spacing(0.5, 2),
    textTransform: 'none',
  },
  chart: {
    height: CHART_HEIGHT,
    marginTop: theme.spacing(1),
    fontSize: theme.typography.caption.fontSize,
  },
}));

/** An axis tick: `4`, `0.25`, `1,200`. */
// Three significant digits: small error rates (0.015, 0.02) keep distinct ticks.
function axisNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** One subset of the route as the chart draws it. */
interface Drawn {
  key: string;
  metrics: SubsetMetrics;
}

type Row = { t: number } & Record<string, number>;

/** The series of every drawn subset, merged into one row per time: `<field><index>` → value. */
function mergeSeries(
  drawn: Drawn[],
  fields: Array<[string, (m: SubsetMetrics) => MetricPoint[]]>,
): Row[] {
  const rows = new Map<number, Row>();
  drawn.forEach((d, i) => {
    for (const [field, pick] of fields) {
      for (const [t, value] of pick(d.metrics)) {
        const row = rows.get(t) ?? ({ t } as Row);
        row[`${field}${i}`] = value;
        rows.set(t, row);
      }
    }
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** The subsets of a route that have something to draw, in the route's order. */
export function drawnSubsets(
  route: Route,
  metrics: RolloutMetrics | undefined,
): Drawn[] {
  return route.destinations.flatMap(d => {
    const m = subsetMetricsOf(metrics, d.host, d.subset);
    const points =
      (m?.series.requestsPerSecond.length ?? 0) +
      (m?.series.latencyP99Ms.length ?? 0);
    return m && points > 0 ? [{ key: destinationKey(d), metrics: m }] : [];
  });
}

export interface RouteHealthChartProps {
  route: Route;
  metrics?: RolloutMetrics;
}

/**
 * A route's health over time, per subset in its colour of the traffic bar:
 * requests per second (solid) and errors per second (dashed), or p99
 * latency, on two tabs. Each chart is an image named by a text summary, since
 * screen readers can't read an SVG chart. Collapsed behind a button on
 * phones. Renders nothing when no subset of the route has a series.
 */
export const RouteHealthChart = ({ route, metrics }: RouteHealthChartProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const colorOf = useSubsetColors();
  const id = useId();
  const phone = useMediaQuery(theme.breakpoints.down('xs'), { noSsr: true });
  const [tab, setTab] = useState<'traffic' | 'latency'>('traffic');
  const [expanded, setExpanded] = useState<boolean | undefined>(undefined);
  const drawn = drawnSubsets(route, metrics);
  if (drawn.length === 0) return null;
  const open = expanded ?? !phone;

  const label = routeLabel(route);
  const rows =
    tab === 'traffic'
      ? mergeSeries(drawn, [
          ['rps', m => m.series.requestsPerSecond],
          ['err', m => m.series.errorsPerSecond],
        ])
      : mergeSeries(drawn, [['p99', m => m.series.latencyP99Ms]]);
  const span =
    rows.length > 1
      ? ` from ${formatClock(rows[0].t)} to ${formatClock(
          rows[rows.length - 1].t,
        )}`
      : '';
  const summary =
    tab === 'traffic'
      ? `Requests and errors per second of ${label}${span}: ${drawn
          .map(d => `${d.key} ${describeFigures(d.metrics)}`)
          .join('; ')}.`
      : `p99 latency of ${label}${span}: ${drawn
          .map(d => `${d.key} ${formatLatency(d.metrics.latencyP99Ms)}`)
          .join('; ')}.`;

  const axis = {
    stroke: theme.palette.divider,
    tick: { fill: theme.palette.text.secondary, fontSize: 11 },
    tickLine: { stroke: theme.palette.divider },
  };
  const axisLabel = (value: string, side: 'left' | 'right') => ({
    value,
    angle: side === 'left' ? -90 : 90,
    position:
      side === 'left' ? ('insideLeft' as const) : ('insideRight' as const),
    style: {
      fill: theme.palette.text.secondary,
      fontSize: 11,
      textAnchor: 'middle' as const,
    },
  });
  const line = { type: 'monotone' as const, dot: false, strokeWidth: 2 };
  const lines =
    tab === 'traffic'
      ? [
          ...drawn.map((d, i) => (
            <Line
              key={`rps${i}`}
              {...line}
              yAxisId="left"
              dataKey={`rps${i}`}
              name={`${d.key} req/s`}
              stroke={colorOf(d.key)}
              isAnimationActive={false}
            />
          )),
          ...drawn.map((d, i) => (
            <Line
              key={`err${i}`}
              {...line}
              yAxisId="right"
              dataKey={`err${i}`}
              name={`${d.key} errors/s`}
              stroke={colorOf(d.key)}
              strokeDasharray="4 3"
              isAnimationActive={false}
            />
          )),
        ]
      : drawn.map((d, i) => (
          <Line
            key={`p99${i}`}
            {...line}
            yAxisId="left"
            dataKey={`p99${i}`}
            name={`${d.key} p99`}
            stroke={colorOf(d.key)}
            isAnimationActive={false}
          />
        ));

  if (!open) {
    return (
      <div>
        <Button
          size="small"
          startIcon={<ShowChartIcon />}
          aria-expanded={false}
          onClick={() => setExpanded(true)}
        >
          Show health chart
        </Button>
      </div>
    );
  }

  return (
    <div className={classes.root}>
      {phone && (
        <Button
          size="small"
          startIcon={<ShowChartIcon />}
          aria-expanded
          onClick={() => setExpanded(false)}
        >
          Hide health chart
        </Button>
      )}
      <Tabs
        value={tab}
        onChange={(_, value) => setTab(value)}
        indicatorColor="primary"
        textColor="primary"
        aria-label={`Health of ${label}`}
        className={classes.tabs}
      >
        <Tab
          value="traffic"
          label="Requests and errors"
          id={`${id}-traffic`}
          aria-controls={`${id}-panel`}
          className={classes.tab}
        />
        <Tab
          value="latency"
          label="p99 latency"
          id={`${id}-latency`}
          aria-controls={`${id}-panel`}
          className={classes.tab}
        />
      </Tabs>
      <div
        id={`${id}-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-${tab}`}
        className={classes.chart}
      >
        <div role="img" aria-label={summary} style={{ height: '100%' }}>
          <ResponsiveContainer
            width="100%"
            height={CHART_HEIGHT}
            initialDimension={{ width: 480, height: CHART_HEIGHT }}
          >
            <LineChart
              data={rows}
              margin={{ top: 8, right: 4, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid
                stroke={theme.palette.divider}
                strokeDasharray="3 3"
              />
              <XAxis
                {...axis}
                dataKey="t"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={formatClock}
                minTickGap={24}
              />
              <YAxis
                {...axis}
                yAxisId="left"
                width={56}
                tickFormatter={axisNumber}
                label={axisLabel(
                  tab === 'traffic' ? 'req/s' : 'p99 (ms)',
                  'left',
                )}
              />
              {tab === 'traffic' && (
                // Errors are a few per cent of the requests: on their own
                // scale, a canary's errors don't hug the zero line.
                <YAxis
                  {...axis}
                  yAxisId="right"
                  orientation="right"
                  width={56}
                  tickFormatter={axisNumber}
                  label={axisLabel('errors/s (dashed)', 'right')}
                />
              )}
              <Tooltip
                labelFormatter={t => formatClock(Number(t))}
                formatter={value =>
                  tab === 'traffic'
                    ? formatRate(Number(value))
                    : formatLatency(Number(value))
                }
                contentStyle={{
                  backgroundColor: theme.palette.background.paper,
                  borderColor: theme.palette.divider,
                  color: theme.palette.text.primary,
                }}
                labelStyle={{ color: theme.palette.text.secondary }}
              />
              <Legend
                verticalAlign="top"
                iconType="plainline"
                formatter={value => (
                  <span style={{ color: theme.palette.text.primary }}>
                    {value}
                  </span>
                )}
              />
              {lines}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </div>
    </div>
  );
};
