import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  PortalHealthResponse,
  PortalRolloutRow,
} from '@internal/plugin-istio-rollouts-common';
import { useMemo } from 'react';
import { usePortalHealth } from '../../hooks/usePortalHealth';
import {
  PORTAL_POLL_INTERVAL_MS,
  usePortalRollouts,
} from '../../hooks/usePortalRollouts';
import { PolledReadState } from '../../hooks/usePolledRead';
import { messageOf } from '../../lib/errors';
import { formatWindow } from '../../lib/metrics';
import {
  clustersWithoutHealth,
  portalTableRows,
  staleVirtualServices,
  withHealth,
} from '../../lib/portalRows';
import { ClusterErrorPanel } from '../ClusterErrorPanel';
import { MetricsNotice } from '../MetricsNotice';
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

/** Why some rows have no health verdict, as the tab says it: never in place of the table. */
const HealthNotices = ({
  health,
  rows,
  titles,
}: {
  health: PolledReadState<PortalHealthResponse>;
  rows: PortalRolloutRow[];
  titles: Map<string, string>;
}) => (
  <>
    {health.error && (
      <MetricsNotice severity="warning">
        Metrics unavailable: {messageOf(health.error)}
        {health.value
          ? `. Showing the health verdicts read at ${health.updatedAt?.toLocaleTimeString()}.`
          : '. The Health column has no verdicts.'}
      </MetricsNotice>
    )}
    {clustersWithoutHealth(health.value, rows).map(cluster => {
      const name = titles.get(cluster.name) ?? cluster.name;
      return cluster.status === 'notConfigured' ? (
        <MetricsNotice key={cluster.name}>
          No Prometheus configured for {name}: its rows have no health verdict.
        </MetricsNotice>
      ) : (
        <MetricsNotice
          key={cluster.name}
          severity="warning"
          detail={
            cluster.error && `${cluster.error.reason}: ${cluster.error.message}`
          }
        >
          Metrics unavailable for {name}: its rows have no health verdict.
        </MetricsNotice>
      );
    })}
  </>
);

/** The page's body: what the read says, as notices and one table. */
const PortalRollouts = ({
  pollIntervalMs,
  tabPath,
}: Required<IstioRolloutsPageProps>) => {
  const classes = useStyles();
  const { value, error, loading, updatedAt, refresh } =
    usePortalRollouts(pollIntervalMs);
  // Apart from the rows, which never wait for Prometheus.
  const health = usePortalHealth(pollIntervalMs);
  const healthFailed = health.error !== undefined;
  const tableRows = useMemo(
    () => (value ? portalTableRows(value.rows, value.clusters) : []),
    [value],
  );
  const rows = useMemo(
    () => withHealth(tableRows, health.value, healthFailed),
    [tableRows, health.value, healthFailed],
  );
  const titles = useMemo(
    () => new Map(value?.clusters.map(c => [c.name, c.title ?? c.name])),
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
      <HealthNotices health={health} rows={value.rows} titles={titles} />
      <PortalRolloutsTable
        rows={rows}
        tabPath={tabPath.replace(/^\/+/, '')}
        healthWindow={
          health.value?.windowSeconds
            ? formatWindow(health.value.windowSeconds)
            : undefined
        }
        pollIntervalMs={pollIntervalMs}
        onRefresh={() => {
          refresh();
          health.refresh();
        }}
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
