import { Rollout, Route } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import { messageOf } from '../../lib/errors';
import { routePlans } from '../../lib/planRecords';
import { EndedPlan } from './EndedPlan';
import { PlanPanel } from './PlanPanel';
import { usePlansContext } from './PlansContext';

const useStyles = makeStyles((theme: Theme) => ({
  fallback: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/** How a route is named in buttons and titles: its name, else `http[0]`. */
export function routeName(route: Route): string {
  return route.name ?? `${route.kind}[${route.index}]`;
}

/**
 * The step plan of one route, from the plans the tab read once for every route: the running (or paused) plan in
 * full, else the route's last ended plan, compact. Until the plans are read (or when they can't be), the read
 * model's label of a running plan still shows.
 */
export const RoutePlan = ({
  rollout,
  route,
}: {
  rollout: Rollout;
  route: Route;
}) => {
  const classes = useStyles();
  const context = usePlansContext();
  const plans = context?.plans.value?.plans ?? [];
  const { active, ended } = routePlans(plans, rollout, route);
  if (active && context) {
    return (
      <PlanPanel
        record={active}
        resourceVersion={rollout.resourceVersion}
        routeName={routeName(route)}
        context={context}
      />
    );
  }
  if (route.plan) {
    const error = context?.plans.error;
    return (
      <div className={classes.fallback}>
        <Chip
          size="small"
          color="primary"
          icon={<PlaylistPlayIcon />}
          label={route.plan.label}
        />
        {error && (
          <Typography variant="caption" className={classes.muted}>
            The plan’s steps could not be read: {messageOf(error)}
          </Typography>
        )}
      </div>
    );
  }
  return ended ? <EndedPlan record={ended} /> : null;
};
