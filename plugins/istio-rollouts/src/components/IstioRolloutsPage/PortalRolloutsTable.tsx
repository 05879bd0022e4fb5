import { Table, TableColumn, TableFilter } from '@backstage/core-components';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useMemo } from 'react';
import {
  compareHealth,
  compareRows,
  PortalTableRow,
} from '../../lib/portalRows';
import { PhaseChip } from '../PhaseChip';
import {
  ClusterCell,
  EntityLinks,
  HealthCell,
  OwnerLinks,
  PlanCell,
  RouteCell,
} from './PortalRolloutsCells';

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
  empty: {
    padding: theme.spacing(3, 2),
    textAlign: 'center',
  },
}));

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

function columnsFor(
  tabPath: string,
  windowText: string | undefined,
): TableColumn<PortalTableRow>[] {
  const columns: TableColumn<PortalTableRow>[] = [
    {
      title: 'Entity',
      field: 'entityNames',
      highlight: true,
      cellStyle: wraps(),
      customSort: compareRows,
      customFilterAndSearch: (term, row) =>
        includes(term, ...row.entityNames, ...row.owners),
      // The owner under the entity, as the catalog's cards show it: a column of its own pushed Split and Plan past a
      // laptop's width.
      render: row => (
        <>
          <EntityLinks row={row} tabPath={tabPath} />
          <OwnerLinks row={row} />
        </>
      ),
    },
    // Hidden, for the Owner filter (the table filters by a column's title) and sorting by owner from it.
    {
      title: 'Owner',
      field: 'owners',
      hidden: true,
      customSort: (a, b) => byText(a.owners.join(), b.owners.join()),
    },
    {
      title: 'Cluster',
      field: 'cluster',
      cellStyle: nowrap(),
      render: row => <ClusterCell row={row} />,
    },
    // Hidden, for the Namespace filter: the route's cell names the VirtualService as namespace/name.
    { title: 'Namespace', field: 'namespace', hidden: true },
    {
      title: 'Route',
      field: 'route',
      cellStyle: wraps(),
      customSort: (a, b) =>
        byText(a.row.virtualService, b.row.virtualService) ||
        byText(a.row.route.kind, b.row.route.kind) ||
        a.row.route.index - b.row.route.index,
      customFilterAndSearch: (term, row) =>
        includes(term, row.route, row.row.virtualService, row.namespace),
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
      // The server's verdict; filtered by its status in words, searched in the verdict's.
      title: 'Health',
      field: 'health',
      // Beside the state, where a laptop's width still shows it. Room for `failing: 5 % errors vs 0.2 %` on one
      // line (a chip wrapped to three lines is a blob); longer verdicts wrap to two.
      cellStyle: { ...wraps(), minWidth: 225 },
      customSort: compareHealth,
      customFilterAndSearch: (term, row) =>
        includes(term, row.health, row.verdict?.summary),
      render: row => <HealthCell row={row} windowText={windowText} />,
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
      cellStyle: { ...wraps(), minWidth: 112 },
      customSort: (a, b) => byText(a.plan, b.plan),
      render: row => <PlanCell row={row} />,
    },
  ];
  // Widths by content, not material-table's equal shares: names stay whole and long plans wrap.
  return columns.map(column => ({ width: 'auto', ...column }));
}

const FILTERS: TableFilter[] = [
  'Owner',
  'Cluster',
  'Namespace',
  'State',
  'Health',
].map(column => ({ column, type: 'multiple-select' }));

export interface PortalRolloutsTableProps {
  rows: PortalTableRow[];
  /** The Rollouts tab's path under an entity page. */
  tabPath: string;
  /** The verdicts' window in words, e.g. `5 min`, for their tooltips. */
  healthWindow?: string;
  /** Says how often the table refreshes, under its title; null: it doesn't. */
  pollIntervalMs: number | null;
  onRefresh: () => void;
}

/**
 * The active routes as a table: sortable, searchable, and filtered by owner,
 * cluster, namespace, state and health; rows of a silent cluster are greyed.
 */
export const PortalRolloutsTable = ({
  rows,
  tabPath,
  healthWindow,
  pollIntervalMs,
  onRefresh,
}: PortalRolloutsTableProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const columns = useMemo(
    () => columnsFor(tabPath, healthWindow),
    [tabPath, healthWindow],
  );
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
