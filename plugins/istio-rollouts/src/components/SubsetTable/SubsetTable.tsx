import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { Rollout, Route, Subset } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { shortHost } from '../../lib/actions';
import { destinationKey, sharesOf } from '../../lib/split';
import { SubsetSwatch } from '../RouteTrafficBar';

const useStyles = makeStyles((theme: Theme) => ({
  table: {
    '& th, & td': {
      verticalAlign: 'middle',
    },
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

/**
 * The subsets behind a route: subset, labels (version), the Deployments and
 * images they select, ready/desired pods — red when a subset with traffic has
 * no ready pod — and the subset's weight in this route.
 */
export const SubsetTable = ({
  rollout,
  route,
}: {
  rollout: Rollout;
  route: Route;
}) => {
  const classes = useStyles();
  const rows = subsetRows(rollout, route);
  const relative = route.destinations.reduce((s, d) => s + d.weight, 0) !== 100;
  return (
    <Table size="small" className={classes.table} aria-label="Subsets">
      <TableHead>
        <TableRow>
          <TableCell>Subset</TableCell>
          <TableCell>Labels</TableCell>
          <TableCell>Deployments and images</TableCell>
          <TableCell>Pods</TableCell>
          <TableCell align="right">Weight</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={`${row.host}/${row.key}`}>
            <TableCell>
              <span className={classes.subset}>
                <SubsetSwatch subset={row.key} />
                {row.key}
              </span>
            </TableCell>
            <TableCell>
              <span className={classes.labels}>
                {Object.entries(row.subset?.labels ?? {}).map(([k, v]) => (
                  <Chip
                    key={k}
                    size="small"
                    variant="outlined"
                    label={`${k}: ${v}`}
                  />
                ))}
                {!row.subset && (
                  <Typography variant="caption" className={classes.muted}>
                    {row.key === row.host
                      ? 'whole host, no subset'
                      : 'not in a DestinationRule'}
                  </Typography>
                )}
              </span>
            </TableCell>
            <TableCell>
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
            </TableCell>
            <TableCell>
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
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
