import {
  Link,
  SubvalueCell,
  Table,
  TableColumn,
  TableFilter,
} from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useMemo } from 'react';
import { compareRows, ownerName, PortalTableRow } from '../../lib/portalRows';
import { PhaseChip } from '../PhaseChip';

/** Rows per page; the pager only shows when there are more. */
const PAGE_SIZE = 20;

/** What the empty table says: the server lists only what the caller may see. */
export const EMPTY_MESSAGE =
  'No active canaries, blue/green releases or step plans in the clusters you may see.';

const useStyles = makeStyles((theme: Theme) => ({
  // The table scrolls sideways inside its card on a phone; the page never does.
  root: {
    maxWidth: '100%',
    '& > div': {
      [theme.breakpoints.down('xs')]: { flexWrap: 'wrap' },
    },
    // A flex item is as wide as its content unless told otherwise: let the card shrink so its own scroller works.
    '& > div > :last-child': { minWidth: 0 },
    // Beside the filter button, the toolbar would be only as wide as its title wrapped: give it the row, and on a
    // phone put the search under the title rather than squeeze the title into a column.
    '& > div > :last-child > :first-child > :last-child': {
      flexGrow: 1,
      [theme.breakpoints.down('xs')]: { flexWrap: 'wrap' },
    },
  },
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
  empty: {
    padding: theme.spacing(3, 2),
    textAlign: 'center',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  planIcon: {
    verticalAlign: 'middle',
    marginRight: theme.spacing(0.5),
  },
}));

/** Each entity claiming the route, linked to its Rollouts tab. */
const EntityLinks = ({
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

/** Each entity's owner, named as the Owner filter names it. */
const OwnerLinks = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  const owners = [
    ...new Set(row.row.entities.flatMap(e => (e.owner ? [e.owner] : []))),
  ];
  if (owners.length === 0) return <span className={classes.muted}>—</span>;
  return (
    <ul className={classes.list}>
      {owners.map(owner => (
        <li key={owner}>
          <EntityRefLink entityRef={owner} defaultKind="group">
            {ownerName(owner)}
          </EntityRefLink>
        </li>
      ))}
    </ul>
  );
};

const ClusterCell = ({ row }: { row: PortalTableRow }) => {
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

const RouteCell = ({ row }: { row: PortalTableRow }) => {
  const classes = useStyles();
  return (
    <SubvalueCell
      value={<span className={classes.nowrap}>{row.route}</span>}
      subvalue={`VirtualService ${row.row.virtualService}`}
    />
  );
};

// Text, not a chip: a plan's label is long and may wrap, where a chip would widen the table.
const PlanCell = ({ row }: { row: PortalTableRow }) => {
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

const byText = (a = '', b = '') => a.localeCompare(b, 'en', { numeric: true });
const includes = (term: string, ...texts: Array<string | undefined>) =>
  texts.some(t => t?.toLocaleLowerCase().includes(term.toLocaleLowerCase()));

/**
 * A cell's style: wraps between words only (the table's default breaks `gorilla-sfx-demo` anywhere), or not at all
 * for values read as one; its text takes the row's colour, so a last-known row is greyed. A new object per column,
 * as the Table writes into a highlighted column's.
 */
const wraps = () => ({ wordBreak: 'normal' as const, color: 'inherit' });
const nowrap = () => ({ whiteSpace: 'nowrap' as const, color: 'inherit' });

function columnsFor(tabPath: string): TableColumn<PortalTableRow>[] {
  const columns: TableColumn<PortalTableRow>[] = [
    {
      title: 'Entity',
      field: 'entityNames',
      highlight: true,
      cellStyle: wraps(),
      customSort: compareRows,
      render: row => <EntityLinks row={row} tabPath={tabPath} />,
    },
    {
      title: 'Owner',
      field: 'owners',
      cellStyle: wraps(),
      customSort: (a, b) => byText(a.owners.join(), b.owners.join()),
      customFilterAndSearch: (term, row) => includes(term, ...row.owners),
      render: row => <OwnerLinks row={row} />,
    },
    {
      title: 'Cluster',
      field: 'cluster',
      cellStyle: nowrap(),
      render: row => <ClusterCell row={row} />,
    },
    { title: 'Namespace', field: 'namespace', cellStyle: nowrap() },
    {
      title: 'Route',
      field: 'route',
      cellStyle: wraps(),
      customSort: (a, b) =>
        byText(a.row.virtualService, b.row.virtualService) ||
        byText(a.row.route.kind, b.row.route.kind) ||
        a.row.route.index - b.row.route.index,
      customFilterAndSearch: (term, row) =>
        includes(term, row.route, row.row.virtualService),
      render: row => <RouteCell row={row} />,
    },
    {
      // Filtered by phase (canary, blue-green, …); shown and searched in the server's words.
      title: 'State',
      field: 'phase',
      cellStyle: nowrap(),
      customSort: (a, b) =>
        byText(a.phase, b.phase) || byText(a.label, b.label),
      customFilterAndSearch: (term, row) =>
        includes(term, row.label, row.phase),
      // The row carries no description for the chip's tooltip.
      render: row => (
        <PhaseChip
          state={{ phase: row.phase, label: row.label, description: '' }}
        />
      ),
    },
    {
      title: 'Split',
      field: 'split',
      sorting: false,
      cellStyle: nowrap(),
    },
    {
      title: 'Plan',
      field: 'plan',
      // Room for "plan #12 · paused · step 3/8 · 25 %" on two lines, not five.
      cellStyle: { ...wraps(), minWidth: 160 },
      customSort: (a, b) => byText(a.plan, b.plan),
      render: row => <PlanCell row={row} />,
    },
  ];
  // Widths by content, not material-table's equal shares: names stay whole and long plans wrap.
  return columns.map(column => ({ width: 'auto', ...column }));
}

const FILTERS: TableFilter[] = ['Owner', 'Cluster', 'Namespace', 'State'].map(
  column => ({ column, type: 'multiple-select' }),
);

export interface PortalRolloutsTableProps {
  rows: PortalTableRow[];
  /** The Rollouts tab's path under an entity page. */
  tabPath: string;
  /** Says how often the table refreshes, under its title; null: it doesn't. */
  pollIntervalMs: number | null;
  onRefresh: () => void;
}

/**
 * The active routes as a table: sortable, searchable, and filtered by owner,
 * cluster, namespace and state; rows of a silent cluster are greyed.
 */
export const PortalRolloutsTable = ({
  rows,
  tabPath,
  pollIntervalMs,
  onRefresh,
}: PortalRolloutsTableProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const columns = useMemo(() => columnsFor(tabPath), [tabPath]);
  const seconds = pollIntervalMs ? Math.round(pollIntervalMs / 1000) : 0;
  return (
    <div className={classes.root}>
      <Table<PortalTableRow>
        title={`Active rollouts (${rows.length})`}
        subtitle={seconds ? `Refreshed every ${seconds} s` : undefined}
        columns={columns}
        data={rows}
        filters={FILTERS}
        options={{
          padding: 'dense',
          draggable: false,
          // Without rows, column headers would only widen the table past a phone's width, hiding the message.
          header: rows.length > 0,
          paging: rows.length > PAGE_SIZE,
          pageSize: PAGE_SIZE,
          pageSizeOptions: [PAGE_SIZE, 50, 100],
          emptyRowsWhenPaging: false,
          rowStyle: (row: PortalTableRow) => ({
            color: row.stale
              ? theme.palette.text.secondary
              : theme.palette.text.primary,
          }),
        }}
        actions={[
          {
            // material-table's tooltip names nothing for assistive technology; the icon's title names the button.
            icon: () => <RefreshIcon titleAccess="Refresh now" />,
            tooltip: 'Refresh now',
            isFreeAction: true,
            onClick: onRefresh,
          },
        ]}
        emptyContent={
          <Typography variant="body1" className={classes.empty}>
            {EMPTY_MESSAGE}
          </Typography>
        }
      />
    </div>
  );
};
