import { Link, SubvalueCell } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import { ownerName, PortalTableRow } from '../../lib/portalRows';
import { visuallyHidden } from '../../lib/visuallyHidden';
import { CanaryVerdictChip } from '../CanaryVerdictChip';

/* The portal table's cells that are more than their row's text. */

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  nowrap: {
    whiteSpace: 'nowrap',
  },
  lastKnown: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  owners: {
    ...theme.typography.caption,
    marginTop: theme.spacing(0.25),
  },
  // Holds the hidden reason of a cell without a verdict.
  noVerdict: {
    position: 'relative',
    color: theme.palette.text.secondary,
  },
  planIcon: {
    verticalAlign: 'middle',
    marginRight: theme.spacing(0.5),
  },
  visuallyHidden,
}));

/** Each entity claiming the route, linked to its Rollouts tab. */
export const EntityLinks = ({
  row,
  tabPath,
}: {
  row: PortalTableRow;
  tabPath: string;
}) => {
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  return (
    <ul className={classes.list}>
      {row.entities.map(entity => (
        <li key={entity.ref}>
          <Link to={`${entityLink(entity.ref)}/${tabPath}`}>{entity.name}</Link>
        </li>
      ))}
    </ul>
  );
};

/** Each entity's owner, named as the Owner filter names it, under the entities: smaller, and said to be owners. */
export const OwnerLinks = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  const owners = [
    ...new Set(row.row.entities.flatMap(e => (e.owner ? [e.owner] : []))),
  ];
  if (owners.length === 0) return null;
  return (
    <ul className={`${classes.list} ${classes.owners}`}>
      {owners.map(owner => (
        <li key={owner}>
          <span className={classes.visuallyHidden}>owner </span>
          <EntityRefLink entityRef={owner} defaultKind="group">
            {ownerName(owner)}
          </EntityRefLink>
        </li>
      ))}
    </ul>
  );
};

export const ClusterCell = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  if (!row.stale) return <span className={classes.nowrap}>{row.cluster}</span>;
  return (
    <SubvalueCell
      value={row.cluster}
      subvalue={
        <span className={classes.lastKnown}>
          <CloudOffIcon fontSize="inherit" aria-hidden />
          last known
        </span>
      }
    />
  );
};

export const RouteCell = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  return (
    <SubvalueCell
      value={<span className={classes.nowrap}>{row.route}</span>}
      subvalue={`VirtualService ${row.namespace}/${row.row.virtualService}`}
    />
  );
};

// Text, not a chip: a plan's label is long and may wrap, where a chip would widen the table.
export const PlanCell = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  if (!row.plan) return <span className={classes.muted}>—</span>;
  return (
    <span data-testid="plan-label">
      <PlaylistPlayIcon
        fontSize="small"
        color="primary"
        className={classes.planIcon}
        aria-hidden
      />
      {row.plan}
    </span>
  );
};

/**
 * The server's verdict, as the tab's chip but no live region (hundreds of rows, read every 10 s, would chatter);
 * without one, a dash that says why to the pointer and the screen reader.
 */
export const HealthCell = ({
  row,
  windowText,
}: {
  row: PortalTableRow;
  /** The verdicts' window in words, e.g. `5 min`. */
  windowText?: string;
}) => {
  const classes = useStyles();
  if (row.verdict) {
    return (
      <CanaryVerdictChip
        verdict={row.verdict}
        windowText={windowText}
        live={false}
      />
    );
  }
  const why = `No verdict: ${row.noVerdict ?? 'metrics unavailable'}`;
  return (
    <Tooltip title={why}>
      <span className={classes.noVerdict} data-testid="no-verdict">
        <span aria-hidden>—</span>
        <span className={classes.visuallyHidden}>{why}</span>
      </span>
    </Tooltip>
  );
};
