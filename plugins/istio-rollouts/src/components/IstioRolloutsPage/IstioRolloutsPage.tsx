import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useMemo } from 'react';
import {
  PORTAL_POLL_INTERVAL_MS,
  usePortalRollouts,
} from '../../hooks/usePortalRollouts';
import { messageOf } from '../../lib/errors';
import { portalTableRows, staleVirtualServices } from '../../lib/portalRows';
import { ClusterErrorPanel } from '../ClusterErrorPanel';
import { PortalRolloutsTable } from './PortalRolloutsTable';

const useStyles = makeStyles((theme: Theme) => ({
  stack: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    // Lets the table's card shrink to the phone's width and scroll inside.
    minWidth: 0,
  },
}));

/** Props of the portal-wide page. @public */
export interface IstioRolloutsPageProps {
  /** How often to read again while the page is visible, in ms (default 10000); null reads once. */
  pollIntervalMs?: number | null;
  /** The Rollouts tab's path under an entity page, where each entity links to (default `rollouts`). */
  tabPath?: string;
}

/** The page's body: what the read says, as notices and one table. */
const PortalRollouts = ({
  pollIntervalMs,
  tabPath,
}: Required<IstioRolloutsPageProps>) => {
  const classes = useStyles();
  const { value, error, loading, updatedAt, refresh } =
    usePortalRollouts(pollIntervalMs);
  const rows = useMemo(
    () => (value ? portalTableRows(value.rows, value.clusters) : []),
    [value],
  );
  const lastKnown = useMemo(
    () => staleVirtualServices(value?.rows ?? []),
    [value],
  );

  if (loading && !value) return <Progress />;
  if (!value) {
    return <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  }
  return (
    <div className={classes.stack}>
      {error && (
        <Alert severity="warning">
          Could not refresh: {messageOf(error)}. Showing what was read at{' '}
          {updatedAt?.toLocaleTimeString() ?? 'the last refresh'}.
        </Alert>
      )}
      {value.clusters
        .filter(c => c.status === 'error')
        .map(cluster => (
          <ClusterErrorPanel
            key={cluster.name}
            cluster={cluster}
            lastKnown={lastKnown.get(cluster.name) ?? 0}
          />
        ))}
      <PortalRolloutsTable
        rows={rows}
        tabPath={tabPath.replace(/^\/+/, '')}
        pollIntervalMs={pollIntervalMs}
        onRefresh={refresh}
      />
    </div>
  );
};

/**
 * The portal-wide page: every active canary, blue/green release and running
 * step plan the caller may see, across entities and clusters, in one table.
 * The server picks, words and filters the rows; the page renders them.
 */
export const IstioRolloutsPage = ({
  pollIntervalMs = PORTAL_POLL_INTERVAL_MS,
  tabPath = 'rollouts',
}: IstioRolloutsPageProps) => (
  <Page themeId="tool">
    <Header
      title="Istio Rollouts"
      subtitle="Every active canary, blue/green release and step plan you may see"
    />
    <Content>
      <PortalRollouts pollIntervalMs={pollIntervalMs} tabPath={tabPath} />
    </Content>
  </Page>
);
