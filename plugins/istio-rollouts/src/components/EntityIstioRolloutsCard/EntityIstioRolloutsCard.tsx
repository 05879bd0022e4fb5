import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { Rollout } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import Alert from '@material-ui/lab/Alert';
import { useMemo } from 'react';
import { isIstioRolloutsAvailable } from '../../annotations';
import { SubsetColorsProvider } from '../../hooks/subsetColors';
import { DEFAULT_POLL_INTERVAL_MS, useRollouts } from '../../hooks/useRollouts';
import { destinationKey, formatSplit } from '../../lib/split';
import { PhaseChip } from '../PhaseChip';
import { RouteTrafficBar } from '../RouteTrafficBar';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  plan: {
    maxWidth: '100%',
  },
}));

/** The step plans running on a rollout's routes, as the read model labels them (`plan #12 · step 3/6 · 25 %`). */
const PlanChips = ({ rollout }: { rollout: Rollout }) => {
  const classes = useStyles();
  return (
    <>
      {rollout.routes.flatMap(route =>
        route.plan
          ? [
              <Chip
                key={`${route.kind}-${route.index}`}
                size="small"
                color="primary"
                icon={<PlaylistPlayIcon />}
                label={route.plan.label}
                className={classes.plan}
                data-testid="plan-chip"
              />,
            ]
          : [],
      )}
    </>
  );
};

/** The route that shows a rollout best: the first that splits traffic, else the default route. */
/** The route the rollout's state is of, as the server chose it. */
function mainRoute(rollout: Rollout) {
  const at = rollout.state.route;
  return (
    rollout.routes.find(r => r.kind === at?.kind && r.index === at?.index) ??
    rollout.routes[0]
  );
}

/** Props of the overview card. @public */
export interface EntityIstioRolloutsCardProps {
  /** The path of the Rollouts tab under the entity page (default `rollouts`). */
  tabPath?: string;
  /**
   * The link to the Rollouts tab, when the app knows it (the new frontend
   * system resolves the tab's route); replaces `tabPath`. `null`: the app has
   * no tab, so the card doesn't link to one.
   */
  tabLink?: string | null;
  /** How often to refresh while the page is visible, in ms (default 5000, as the tab); null reads once. */
  pollIntervalMs?: number | null;
}

/**
 * The overview card: the phase, step plan and split of each active rollout
 * (canary, blue/green, mirroring, or a plan running) in every cluster,
 * linking to the Rollouts tab.
 */
export const EntityIstioRolloutsCard = ({
  tabPath = 'rollouts',
  tabLink,
  pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
}: EntityIstioRolloutsCardProps) => {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const available = isIstioRolloutsAvailable(entity);
  const entityLink = useRouteRef(entityRouteRef);
  const link =
    tabLink !== undefined
      ? tabLink
      : `${entityLink(entityRouteParams(entity))}/${tabPath.replace(
          /^\//,
          '',
        )}`;
  const { value, error, loading } = useRollouts(
    entityRef,
    pollIntervalMs,
    available,
  );

  let content;
  if (!available) {
    content = (
      <Typography variant="body2" className={classes.muted}>
        Add the <code>backstage.io/kubernetes-id</code> annotation to see this
        entity’s Istio rollouts.
      </Typography>
    );
  } else if (loading && !value) {
    content = <Progress />;
  } else if (!value) {
    content = <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  } else if (value.notConfigured) {
    content = (
      <Typography variant="body2">{value.notConfigured.message}</Typography>
    );
  } else {
    // A running plan is a rollout in progress, even at a stable split (its first step, or waiting at 0 %).
    const active = value.rollouts.filter(
      r => r.phase !== 'stable' || r.routes.some(route => route.plan),
    );
    const failed = value.clusters.filter(c => c.status === 'error');
    const stable = value.rollouts.length - active.length;
    content = (
      <>
        {failed.map(c => (
          <Alert key={c.name} severity="error">
            {c.title ?? c.name}: {c.error?.reason ?? 'unavailable'}
          </Alert>
        ))}
        {active.length > 0 ? (
          <ul className={classes.list} aria-label="Active rollouts">
            {active.map(rollout => {
              const route = mainRoute(rollout);
              return (
                <li key={rollout.id}>
                  <div className={classes.heading}>
                    <PhaseChip state={rollout.state} />
                    <PlanChips rollout={rollout} />
                    <Typography variant="body2">
                      <strong>{rollout.name}</strong>{' '}
                      <span className={classes.muted}>
                        {rollout.cluster} · {rollout.namespace}
                        {/* Its cluster is not answering: what it last showed. */}
                        {rollout.stale && ' · last known'}
                      </span>
                    </Typography>
                  </div>
                  {route && (
                    <RouteTrafficBar
                      dense
                      title={`${rollout.name} in ${rollout.cluster}`}
                      destinations={route.destinations}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        ) : (
          <Typography variant="body2" className={classes.muted}>
            {value.rollouts.length === 0
              ? 'No VirtualService for this entity.'
              : 'No rollout in progress.'}
          </Typography>
        )}
        {active.length > 0 && stable > 0 && (
          <Typography variant="caption" className={classes.muted}>
            {stable} more VirtualService{stable === 1 ? '' : 's'} stable:{' '}
            {value.rollouts
              .filter(r => !active.includes(r))
              .map(r => {
                const route = mainRoute(r);
                return `${r.name} (${r.cluster}) ${
                  route ? formatSplit(route.destinations) : ''
                }`;
              })
              .join('; ')}
          </Typography>
        )}
      </>
    );
  }

  const keys = (value?.rollouts ?? []).flatMap(r => [
    ...r.subsets.map(s => s.name),
    ...r.routes.flatMap(route => route.destinations.map(destinationKey)),
  ]);

  return (
    <InfoCard
      title="Rollouts"
      subheader="Istio canaries and blue/green releases"
      deepLink={
        available && link ? { title: 'Open the Rollouts tab', link } : undefined
      }
    >
      <SubsetColorsProvider keys={keys}>{content}</SubsetColorsProvider>
      {available && link && value && value.rollouts.length === 0 && (
        <Link to={link}>How to label the VirtualService</Link>
      )}
    </InfoCard>
  );
};
