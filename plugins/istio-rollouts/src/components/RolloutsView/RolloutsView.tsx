import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  ClusterMetricsStatus,
  ClusterStatus,
  Rollout,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_POLL_INTERVAL_MS, useRollouts } from '../../hooks/useRollouts';
import {
  METRICS_POLL_INTERVAL_MS,
  useRolloutMetrics,
} from '../../hooks/useRolloutMetrics';
import { SubsetColorsProvider } from '../../hooks/subsetColors';
import { messageOf } from '../../lib/errors';
import {
  clusterMetricsStatus,
  rolloutHealth,
  routeVerdict,
} from '../../lib/metrics';
import { EntitySelector, entitySelector } from '../../lib/selector';
import { destinationKey } from '../../lib/split';
import { ClusterErrorPanel } from '../ClusterErrorPanel';
import { Fleet, FleetProvider } from '../FleetApply';
import { HistoryList } from '../HistoryList';
import { MetricsNotice } from '../MetricsNotice';
import { NoVirtualServiceState } from '../NoVirtualServiceState';
import { PlansProvider, useTabPlans } from '../PlanPanel';
import { VirtualServiceCard } from '../VirtualServiceCard';

// On the page's grey, the theme's secondary text falls just short of WCAG AA.
const mutedOnPage = (theme: Theme) =>
  theme.palette.type === 'dark'
    ? theme.palette.text.secondary
    : theme.palette.grey[700];

const useStyles = makeStyles((theme: Theme) => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    color: mutedOnPage(theme),
  },
  selector: {
    fontFamily: 'monospace',
    color: theme.palette.text.primary,
  },
  cluster: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1.5),
  },
  muted: {
    color: mutedOnPage(theme),
  },
  // A silent cluster's last-known rollouts, under its error panel.
  lastKnown: {
    marginTop: theme.spacing(1),
  },
}));

/** Every subset and host-level destination on the page, for one colour each. */
function colourKeys(rollouts: Rollout[]): string[] {
  return rollouts.flatMap(r => [
    ...r.subsets.map(s => s.name),
    ...r.routes.flatMap(route => route.destinations.map(destinationKey)),
  ]);
}

const ClusterSection = ({
  cluster,
  rollouts,
  metrics,
  children,
}: {
  cluster: ClusterStatus;
  rollouts: Rollout[];
  /** Whether the cluster's canary health could be read, once the metrics endpoint answered. */
  metrics?: ClusterMetricsStatus;
  children: React.ReactNode;
}) => {
  const classes = useStyles();
  const name = cluster.title ?? cluster.name;
  const id = `istio-rollouts-cluster-${cluster.name}`.replace(
    /[^a-zA-Z0-9-]/g,
    '-',
  );
  return (
    <section aria-labelledby={id}>
      <div className={classes.cluster}>
        <Typography variant="h5" component="h2" id={id}>
          {name}
        </Typography>
        <Typography variant="body2" component="span" className={classes.muted}>
          {cluster.status === 'ok' ? (
            <StatusOK>
              {rollouts.length} VirtualService{rollouts.length === 1 ? '' : 's'}
            </StatusOK>
          ) : (
            <StatusError>unavailable</StatusError>
          )}
        </Typography>
        {cluster.status === 'ok' && metrics?.status === 'notConfigured' && (
          <Typography
            variant="caption"
            component="span"
            className={classes.muted}
          >
            No Prometheus configured for {name}
          </Typography>
        )}
      </div>
      {children}
    </section>
  );
};

export interface RolloutsViewProps {
  entity: Entity;
  /** How often to read again while the tab is open; null turns polling off, the canary health's (every 15 s) too. */
  pollIntervalMs?: number | null;
}

/**
 * The Rollouts tab's content for an annotated entity: its VirtualServices
 * grouped by cluster, each route with its traffic bar, subsets and controls,
 * then the history. Reads again every 5 s while open, keeping what is on
 * screen — and any edit in progress — until the new answer arrives; the
 * step plans are read once for every route, as often. The
 * canary health (figures, verdicts, charts) is read apart, every 15 s and
 * after each action, and fills in when it arrives: the routes and buttons
 * never wait for it, and its failure is a note, never the tab's error.
 */
export const RolloutsView = ({
  entity,
  pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
}: RolloutsViewProps) => {
  const classes = useStyles();
  const alertApi = useApi(alertApiRef);
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const selector = entitySelector(entity) as EntitySelector;
  const { value, error, loading, updatedAt, refresh, replaceRollout } =
    useRollouts(entityRef, pollIntervalMs);
  const metrics = useRolloutMetrics(
    entityRef,
    pollIntervalMs === null ? null : METRICS_POLL_INTERVAL_MS,
  );
  const [historyKey, setHistoryKey] = useState(0);
  // A plan's writes show in the rollouts, their health and the history too.
  const planTab = useTabPlans(entityRef, pollIntervalMs, {
    onChanged: () => {
      refresh();
      metrics.refresh();
      setHistoryKey(k => k + 1);
    },
    onConflict: refresh,
  });

  // A change made elsewhere (another user, a controller) shows in the history too.
  const versions = value?.rollouts
    .map(r => `${r.id}@${r.resourceVersion}`)
    .join(',');
  const seenVersions = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (versions === undefined) return;
    if (
      seenVersions.current !== undefined &&
      seenVersions.current !== versions
    ) {
      setHistoryKey(k => k + 1);
    }
    seenVersions.current = versions;
  }, [versions]);

  if (loading && !value) {
    return <Progress />;
  }
  if (!value) {
    return <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  }
  if (value.notConfigured) {
    return (
      <EmptyState
        missing="field"
        title={`Rollouts can’t be shown for this entity (${value.notConfigured.reason})`}
        description={value.notConfigured.message}
      />
    );
  }

  // A change applied: its rollout as read back, then everything read again.
  const onChanged = (response: RolloutActionResponse) => {
    if (response.rollout) replaceRollout(response.rollout);
    refresh();
    metrics.refresh();
    setHistoryKey(k => k + 1);
  };
  const onApplied = (response: RolloutActionResponse) => {
    onChanged(response);
    const proposal = response.gitops?.proposal;
    alertApi.post({
      // GitOps mode: nothing was applied yet, a commit waits for review.
      message: proposal
        ? `Proposed in Git: ${response.summary} — ${
            proposal.pullRequest
              ? `pull request #${proposal.pullRequest}`
              : `branch ${proposal.branch}`
          }; ${proposal.managedBy} applies it once merged`
        : `Applied: ${response.summary}${
            response.warning ? ` — ${response.warning}` : ''
          }`,
      severity: response.warning ? 'warning' : 'success',
      display: 'transient',
    });
  };
  // Every confirmation on the page may extend its change to the same route
  // in the entity's other clusters.
  const fleet: Fleet = {
    rollouts: value.rollouts,
    clusterOrder: value.clusters.map(c => c.name),
    onChanged,
    verdictOf: (rollout, route) =>
      routeVerdict(rolloutHealth(metrics.value, rollout)?.metrics, route),
  };

  const failed = value.clusters.filter(c => c.status === 'error');
  if (value.rollouts.length === 0 && failed.length === 0) {
    return (
      <Grid container spacing={3} direction="column" wrap="nowrap">
        <Grid item>
          <NoVirtualServiceState selector={selector} />
        </Grid>
        <Grid item>
          <HistoryList entityRef={entityRef} refreshKey={historyKey} />
        </Grid>
      </Grid>
    );
  }

  const byCluster = (name: string) =>
    value.rollouts
      .filter(r => r.cluster === name)
      .sort(
        (a, b) =>
          a.namespace.localeCompare(b.namespace) ||
          a.name.localeCompare(b.name),
      );
  const shown = value.clusters.filter(
    c => c.status === 'error' || byCluster(c.name).length > 0,
  );
  const empty = value.clusters.filter(
    c => c.status === 'ok' && byCluster(c.name).length === 0,
  );
  // Rollouts of a cluster the answer doesn't list (shouldn't happen) still show.
  const unlisted = value.rollouts.filter(
    r => !value.clusters.some(c => c.name === r.cluster),
  );

  const page = (
    <SubsetColorsProvider keys={colourKeys(value.rollouts)}>
      <Grid container spacing={3} direction="column" wrap="nowrap">
        <Grid item>
          <Typography
            variant="body2"
            component="div"
            className={classes.header}
          >
            <span>
              VirtualServices labelled{' '}
              <code className={classes.selector}>{selector.selector}</code>
              {selector.namespace ? ` in namespace ${selector.namespace}` : ''},
              in every cluster · refreshed every{' '}
              {Math.round((pollIntervalMs ?? 0) / 1000) || '–'} s
            </span>
            <Tooltip title="Refresh now">
              <IconButton
                size="small"
                aria-label="Refresh now"
                onClick={() => {
                  refresh();
                  metrics.refresh();
                  planTab.plans.refresh();
                }}
              >
                <RefreshIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Typography>
          {error && (
            <Alert severity="warning">
              Could not refresh: {messageOf(error)}. Showing what was read at{' '}
              {updatedAt?.toLocaleTimeString() ?? 'the last refresh'}.
            </Alert>
          )}
          {metrics.error && (
            <MetricsNotice severity="warning">
              Metrics unavailable: {messageOf(metrics.error)}
              {metrics.value &&
                `. Showing the canary health read at ${metrics.updatedAt?.toLocaleTimeString()}.`}
            </MetricsNotice>
          )}
        </Grid>
        {[
          ...shown.map(c => ({ cluster: c, rollouts: byCluster(c.name) })),
          ...(unlisted.length
            ? [
                {
                  cluster: { name: 'other', status: 'ok' } as ClusterStatus,
                  rollouts: unlisted,
                },
              ]
            : []),
        ].map(({ cluster, rollouts }) => (
          <Grid item key={cluster.name}>
            <ClusterSection
              cluster={cluster}
              rollouts={rollouts}
              metrics={clusterMetricsStatus(metrics.value, cluster.name)}
            >
              {cluster.status === 'error' && (
                <ClusterErrorPanel
                  cluster={cluster}
                  lastKnown={rollouts.length}
                />
              )}
              {rollouts.length > 0 && (
                <Grid
                  container
                  spacing={3}
                  className={
                    cluster.status === 'error' ? classes.lastKnown : undefined
                  }
                >
                  {rollouts.map(rollout => (
                    <Grid item xs={12} key={rollout.id}>
                      <VirtualServiceCard
                        entityRef={entityRef}
                        rollout={rollout}
                        onApplied={onApplied}
                        onConflict={refresh}
                        health={rolloutHealth(metrics.value, rollout)}
                      />
                    </Grid>
                  ))}
                </Grid>
              )}
            </ClusterSection>
          </Grid>
        ))}
        {empty.length > 0 && (
          <Grid item>
            <Typography variant="body2" className={classes.muted}>
              No VirtualService for this entity in{' '}
              {empty.map(c => c.title ?? c.name).join(', ')}.
            </Typography>
          </Grid>
        )}
        <Grid item>
          <HistoryList
            entityRef={entityRef}
            refreshKey={historyKey}
            rollouts={value.rollouts}
            onApplied={onApplied}
            onConflict={refresh}
          />
        </Grid>
      </Grid>
    </SubsetColorsProvider>
  );
  return (
    <FleetProvider fleet={fleet}>
      <PlansProvider value={planTab}>{page}</PlansProvider>
    </FleetProvider>
  );
};
