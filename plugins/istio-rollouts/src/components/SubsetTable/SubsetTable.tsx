import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import {
  Rollout,
  RolloutMetrics,
  Route,
  Subset,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { shortHost } from '../../lib/actions';
import {
  formatLatency,
  formatRate,
  formatSuccessRate,
  formatWindow,
  subsetMetricsOf,
} from '../../lib/metrics';
import { destinationKey, sharesOf } from '../../lib/split';
import { SubsetSwatch } from '../RouteTrafficBar';

const useStyles = makeStyles((theme: Theme) => ({
  table: {
    '& th, & td': {
      verticalAlign: 'middle',
    },
    // Headings never break inside a word ("Succes/s"); long image names do.
    '& th': {
      whiteSpace: 'nowrap',
    },
    // A phone's width holds the columns only with less padding.
    [theme.breakpoints.down('xs')]: {
      '& th, & td': {
        padding: theme.spacing(0.75, 1),
      },
    },
  },
  // A phone's subset cell: labels, Deployments and images under the name.
  stacked: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
    fontWeight: 'normal',
  },
  pods: {
    whiteSpace: 'nowrap',
  },
  figure: {
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  },
  figures: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    marginTop: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  },
  subset: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  labels: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
  mono: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    wordBreak: 'break-all',
  },
  noPods: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/** One row: a destination of the route, or a subset staged beside it. */
export interface SubsetRow {
  key: string;
  host: string;
  subset?: Subset;
  /** Percent of the route's traffic; undefined for a subset the route doesn't list. */
  percent?: number;
  weight?: number;
}

/**
 * The rows of a route's subset table: its destinations in order, then the
 * other subsets of the same hosts' DestinationRules (staged, no traffic).
 */
export function subsetRows(rollout: Rollout, route: Route): SubsetRow[] {
  const shares = sharesOf(route.destinations);
  const find = (host: string, name?: string) =>
    name === undefined
      ? undefined
      : rollout.subsets.find(
          s => s.name === name && shortHost(s.host) === shortHost(host),
        );
  const rows: SubsetRow[] = route.destinations.map((d, i) => ({
    key: destinationKey(d),
    host: d.host,
    subset: find(d.host, d.subset),
    percent: shares[i].percent,
    weight: d.weight,
  }));
  const hosts = new Set(route.destinations.map(d => shortHost(d.host)));
  for (const subset of rollout.subsets) {
    if (
      hosts.has(shortHost(subset.host)) &&
      !rows.some(r => r.subset === subset || r.key === subset.name)
    ) {
      rows.push({ key: subset.name, host: subset.host, subset });
    }
  }
  return rows;
}

const Pods = ({ row }: { row: SubsetRow }) => {
  const classes = useStyles();
  const workloads = row.subset?.workloads ?? [];
  const ready = workloads.reduce((s, w) => s + w.readyReplicas, 0);
  const desired = workloads.reduce((s, w) => s + w.replicas, 0);
  const hasTraffic = (row.percent ?? 0) > 0;
  if (!row.subset) {
    return <span className={classes.muted}>unknown</span>;
  }
  if (hasTraffic && ready === 0) {
    return (
      <span className={classes.noPods}>
        <StatusError>
          {workloads.length === 0
            ? 'no pods selected'
            : `${ready}/${desired} ready`}
        </StatusError>
      </span>
    );
  }
  if (workloads.length === 0) {
    return <span className={classes.muted}>no pods selected</span>;
  }
  const text = `${ready}/${desired} ready`;
  if (ready === desired && desired > 0) return <StatusOK>{text}</StatusOK>;
  if (ready < desired) return <StatusWarning>{text}</StatusWarning>;
  return <span className={classes.muted}>{text}</span>;
};

/** A subset's labels (its version), or why it has none. */
const Labels = ({ row }: { row: SubsetRow }) => {
  const classes = useStyles();
  return (
    <span className={classes.labels}>
      {Object.entries(row.subset?.labels ?? {}).map(([k, v]) => (
        <Chip key={k} size="small" variant="outlined" label={`${k}: ${v}`} />
      ))}
      {!row.subset && (
        <Typography variant="caption" className={classes.muted}>
          {row.key === row.host
            ? 'whole host, no subset'
            : 'not in a DestinationRule'}
        </Typography>
      )}
    </span>
  );
};

/** The Deployments a subset selects, with their images. */
const Workloads = ({ row }: { row: SubsetRow }) => {
  const classes = useStyles();
  return (
    <>
      {(row.subset?.workloads ?? []).map(w => (
        <div key={`${w.namespace}/${w.name}`}>
          <Typography variant="body2">{w.name}</Typography>
          {w.images.map(image => (
            <div key={image} className={classes.mono}>
              {image}
            </div>
          ))}
        </div>
      ))}
    </>
  );
};

/** The server's figures for a row: its subset's, or its host's for a host-level destination. */
function figuresOf(
  metrics: RolloutMetrics | undefined,
  row: SubsetRow,
): SubsetMetrics | undefined {
  const name = row.subset?.name ?? (row.key === row.host ? undefined : row.key);
  return subsetMetricsOf(metrics, row.host, name);
}

/** A phone's figures, under the weight: one per line, labelled. */
const StackedFigures = ({ figures }: { figures?: SubsetMetrics }) => {
  const classes = useStyles();
  return (
    <Typography variant="caption" component="div" className={classes.figures}>
      <span>{formatRate(figures?.requestsPerSecond)} req/s</span>
      <span>{formatSuccessRate(figures?.successRate)} success</span>
      <span>p99 {formatLatency(figures?.latencyP99Ms)}</span>
    </Typography>
  );
};

export interface SubsetTableProps {
  rollout: Rollout;
  route: Route;
  /** The rollout's canary health: with it, each subset shows its requests per second, success rate and p99. */
  metrics?: RolloutMetrics;
  /** Seconds the figures are computed over. */
  windowSeconds?: number;
}

/**
 * The subsets behind a route: subset, labels (version), the Deployments and
 * images they select, ready/desired pods — red when a subset with traffic has
 * no ready pod — and the subset's weight in this route. With the rollout's
 * metrics, each subset's requests per second, success rate and p99 latency as
 * the server computed them (`—` without requests): in columns of their own,
 * or on a phone under the weight (where labels, Deployments and images go
 * under the subset's name, so that nothing is squeezed or overflows).
 */
export const SubsetTable = ({
  rollout,
  route,
  metrics,
  windowSeconds,
}: SubsetTableProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'), { noSsr: true });
  const rows = subsetRows(rollout, route);
  const relative = route.destinations.reduce((s, d) => s + d.weight, 0) !== 100;
  const over = windowSeconds
    ? ` over the last ${formatWindow(windowSeconds)}`
    : '';
  const columns = Boolean(metrics) && !phone;
  return (
    <Table size="small" className={classes.table} aria-label="Subsets">
      <TableHead>
        <TableRow>
          <TableCell>Subset</TableCell>
          {!phone && <TableCell>Labels</TableCell>}
          {!phone && <TableCell>Deployments and images</TableCell>}
          <TableCell>Pods</TableCell>
          <TableCell align="right">Weight</TableCell>
          {columns && (
            <>
              <TableCell align="right">
                <abbr title={`Requests per second${over}`}>Req/s</abbr>
              </TableCell>
              <TableCell align="right">
                <abbr title={`Share of requests answered without a 5xx${over}`}>
                  Success
                </abbr>
              </TableCell>
              <TableCell align="right">
                <abbr title={`99th percentile latency${over}`}>p99</abbr>
              </TableCell>
            </>
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => {
          const figures = metrics && figuresOf(metrics, row);
          return (
            <TableRow key={`${row.host}/${row.key}`}>
              <TableCell>
                <span className={classes.subset}>
                  <SubsetSwatch subset={row.key} />
                  {row.key}
                </span>
                {phone && (
                  <div className={classes.stacked}>
                    <Labels row={row} />
                    <Workloads row={row} />
                  </div>
                )}
              </TableCell>
              {!phone && (
                <TableCell>
                  <Labels row={row} />
                </TableCell>
              )}
              {!phone && (
                <TableCell>
                  <Workloads row={row} />
                </TableCell>
              )}
              <TableCell className={classes.pods}>
                <Pods row={row} />
              </TableCell>
              <TableCell align="right">
                {row.percent === undefined ? (
                  <span className={classes.muted}>
                    {row.subset?.live
                      ? 'not in this route'
                      : 'staged, no traffic'}
                  </span>
                ) : (
                  <>
                    <strong>{row.percent}%</strong>
                    {relative && (
                      <Typography
                        variant="caption"
                        component="div"
                        className={classes.muted}
                      >
                        weight {row.weight}
                      </Typography>
                    )}
                  </>
                )}
                {metrics && phone && <StackedFigures figures={figures} />}
              </TableCell>
              {columns && (
                <>
                  <TableCell align="right" className={classes.figure}>
                    {formatRate(figures?.requestsPerSecond)}
                  </TableCell>
                  <TableCell align="right" className={classes.figure}>
                    {formatSuccessRate(figures?.successRate)}
                  </TableCell>
                  <TableCell align="right" className={classes.figure}>
                    {formatLatency(figures?.latencyP99Ms)}
                  </TableCell>
                </>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
