import {
  ActionRequest,
  Finding,
  Rollout,
  RolloutMetrics,
  Route,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { formatWindow, routeVerdict } from '../../lib/metrics';
import { ActionButtons } from '../ActionButtons';
import { CanaryVerdictChip } from '../CanaryVerdictChip';
import { DriftNotice } from '../DriftNotice';
import { PendingGitNotice } from '../PendingGitNotice';
import { FindingsList } from '../FindingsList';
import { PhaseChip } from '../PhaseChip';
import { RoutePlan } from '../PlanPanel';
import { RouteHealthChart } from '../RouteHealthChart';
import { RouteTrafficBar } from '../RouteTrafficBar';
import { StartPlanButton } from '../StartPlanDialog';
import { SubsetTable } from '../SubsetTable';
import { WeightEditor } from '../WeightEditor';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  // A button sized to its words, not stretched across the column.
  startPlan: {
    alignSelf: 'flex-start',
    '&:empty': { display: 'none' },
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  kind: {
    fontFamily: 'monospace',
    color: theme.palette.text.secondary,
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/** The match of a route in words, with `default` spelled out. */
export function matchText(route: Route): string {
  return route.match === 'default'
    ? 'default (every other request)'
    : route.match;
}

export interface RouteSectionProps {
  rollout: Rollout;
  route: Route;
  /** The findings about this route or the subsets it shows. */
  findings: Finding[];
  editing: boolean;
  onEdit: () => void;
  onCancelEdit: () => void;
  onAction: (request: ActionRequest) => void;
  /** The weight editor's answer: the weights to confirm, and the resourceVersion they were drafted on. */
  onReviewWeights: (
    weights: Record<string, number>,
    resourceVersion: string,
  ) => void;
  /** The rollout's canary health, when its cluster's metrics were read. */
  metrics?: RolloutMetrics;
  /** Seconds the metrics' figures are computed over. */
  windowSeconds?: number;
}

/**
 * One route of a VirtualService: its match in words, the server's verdict on
 * its canary, its traffic bar, its step plan, the findings about it, the
 * subsets behind it with their figures, its health chart, and its actions.
 */
export const RouteSection = ({
  rollout,
  route,
  findings,
  editing,
  onEdit,
  onCancelEdit,
  onAction,
  onReviewWeights,
  metrics,
  windowSeconds,
}: RouteSectionProps) => {
  const classes = useStyles();
  const label = routeLabel(route);
  const verdict = routeVerdict(metrics, route);
  const headingId = `route-${rollout.id}-${route.kind}-${route.index}`.replace(
    /[^a-zA-Z0-9-]/g,
    '-',
  );
  const mirrors = route.mirrors ?? (route.mirror ? [route.mirror] : []);
  return (
    // Named with its cluster: the same route in two clusters is two regions, told apart.
    <section
      className={classes.root}
      aria-label={`${label} in ${rollout.cluster}`}
    >
      <div className={classes.header}>
        {/* The card's title is no heading: the route's comes under the cluster's h2. */}
        <Typography variant="subtitle1" component="h3" id={headingId}>
          <span className={classes.kind}>
            {route.kind}[{route.index}]
          </span>{' '}
          <strong>{route.name ?? ''}</strong>
        </Typography>
        {/* With one route, the card's chip says it already. */}
        {rollout.routes.length > 1 && !route.delegate && (
          <PhaseChip state={route.state} />
        )}
        <Chip
          size="small"
          variant="outlined"
          label={`match: ${matchText(route)}`}
        />
        {verdict && (
          <CanaryVerdictChip
            verdict={verdict}
            windowText={windowSeconds ? formatWindow(windowSeconds) : undefined}
          />
        )}
      </div>
      {route.delegate ? (
        <Typography variant="body2">
          Delegates to VirtualService{' '}
          <strong>
            {route.delegate.namespace ? `${route.delegate.namespace}/` : ''}
            {route.delegate.name}
          </strong>
          , which routes these requests itself.
        </Typography>
      ) : (
        <RouteTrafficBar title={label} destinations={route.destinations} />
      )}
      {mirrors.map(m => (
        <Typography
          key={`${m.host}-${m.subset}`}
          variant="body2"
          className={classes.muted}
        >
          Mirrors {m.percentage}% of these requests to {m.subset ?? m.host}{' '}
          (copies; their answers are discarded).
        </Typography>
      ))}
      {/* The plan moving this route's traffic comes right under the split it moves. */}
      <RoutePlan rollout={rollout} route={route} />
      {route.pendingInGit && <PendingGitNotice pending={route.pendingInGit} />}
      {route.drift && <DriftNotice drift={route.drift} />}
      <FindingsList findings={findings} />
      {!route.delegate && (
        <SubsetTable
          rollout={rollout}
          route={route}
          metrics={metrics}
          windowSeconds={windowSeconds}
        />
      )}
      {!route.delegate && <RouteHealthChart route={route} metrics={metrics} />}
      <ActionButtons
        rollout={rollout}
        route={route}
        editing={editing}
        onEdit={editing ? onCancelEdit : onEdit}
        onAction={onAction}
      />
      <div className={classes.startPlan}>
        <StartPlanButton rollout={rollout} route={route} />
      </div>
      {editing && (
        <WeightEditor
          route={route}
          resourceVersion={rollout.resourceVersion}
          onCancel={onCancelEdit}
          onReview={onReviewWeights}
        />
      )}
    </section>
  );
};
