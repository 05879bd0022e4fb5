import {
  ActionRequest,
  listWords,
  Rollout,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useId } from 'react';
import { describeFleetOutcome, FleetPlan, FleetTarget } from '../../lib/fleet';
import { FleetClusterItem } from './FleetClusterItem';
import { FleetApplyState } from './useFleetApply';

const useStyles = makeStyles((theme: Theme) => ({
  section: {
    marginTop: theme.spacing(2),
  },
  list: {
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
  },
  skipped: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(3),
  },
  offerActions: {
    marginTop: theme.spacing(1),
  },
}));

/** `http[0] reviews-route of bookinfo/reviews` */
function routeOf(target: { rollout: Rollout; route: FleetTarget['route'] }) {
  return `${routeLabel(target.route)} of ${target.rollout.namespace}/${
    target.rollout.name
  }`;
}

const SkippedList = ({ plan }: { plan: FleetPlan }) => {
  const classes = useStyles();
  if (plan.skipped.length === 0) return null;
  return (
    <>
      <Typography variant="body2" className={classes.section}>
        Not offered in:
      </Typography>
      <ul className={classes.skipped}>
        {plan.skipped.map(s => (
          <li key={s.cluster}>
            <Typography variant="body2">
              {s.cluster}: {s.reason}.
            </Typography>
          </li>
        ))}
      </ul>
    </>
  );
};

/**
 * In a single cluster's confirmation: the same route in other clusters, and
 * the way to make the change there too. Nothing when no other cluster has it.
 */
export const FleetOffer = ({
  plan,
  onStart,
  disabled,
}: {
  plan?: FleetPlan;
  onStart: () => void;
  disabled?: boolean;
}) => {
  const classes = useStyles();
  const headingId = useId();
  const origin = plan?.targets.find(t => t.origin);
  const others = plan?.targets.filter(t => !t.origin) ?? [];
  if (!plan || !origin || (others.length === 0 && plan.skipped.length === 0)) {
    return null;
  }
  return (
    <div className={classes.section} role="group" aria-labelledby={headingId}>
      <Typography variant="subtitle2" component="h3" id={headingId}>
        Other clusters
      </Typography>
      {others.length > 0 && (
        <Typography variant="body2">
          {routeOf(origin)} is in {listWords(others.map(t => t.cluster))} too.
          Make the same change there: a dry run in each cluster first, then one
          change per cluster, in the order you choose.
        </Typography>
      )}
      <SkippedList plan={plan} />
      {others.length > 0 && (
        <div className={classes.offerActions}>
          <Button
            variant="outlined"
            color="primary"
            onClick={onStart}
            disabled={disabled}
          >
            Apply to all clusters…
          </Button>
        </div>
      )}
    </div>
  );
};

export interface FleetApplyContentProps {
  intent: ActionRequest;
  state: FleetApplyState;
  /** "Promote anyway" is ticked, where a canary is failing. */
  promoteAnyway: boolean;
  onPromoteAnywayChange: (ticked: boolean) => void;
}

/**
 * The body of a fleet change's confirmation: every cluster with the route,
 * in the order they will be changed (each with its own dry run and buttons to
 * move it), those left out and why, and after applying, what changed where.
 */
export const FleetApplyContent = ({
  intent,
  state,
  promoteAnyway,
  onPromoteAnywayChange,
}: FleetApplyContentProps) => {
  const classes = useStyles();
  const { plan, order, dryRuns, steps, included, outcome, running, failing } =
    state;
  if (!plan) return null;
  const origin = plan.targets.find(t => t.origin) ?? plan.targets[0];
  const result = outcome && describeFleetOutcome(outcome, state.leftOut);

  return (
    <>
      <Typography variant="body2">
        The same change to {origin ? routeOf(origin) : 'the route'} in each
        cluster that has it. Each cluster has its own dry run below; one whose
        dry run fails or changes nothing is left out. Applying changes the
        clusters one after the other, in this order, and stops at the first that
        fails.
      </Typography>
      <ol
        className={classes.list}
        aria-label="Clusters, in the order they are changed"
      >
        {order.map((target, i) => {
          const position = included.indexOf(target);
          return (
            <FleetClusterItem
              key={target.cluster}
              target={target}
              dryRun={dryRuns[target.cluster]}
              step={steps[target.cluster]}
              position={position === -1 ? undefined : position + 1}
              total={included.length}
              finished={Boolean(outcome)}
              locked={running || Boolean(outcome)}
              first={i === 0}
              last={i === order.length - 1}
              onMove={by => state.move(target.cluster, by)}
              verdict={state.verdicts[target.cluster]}
            />
          );
        })}
      </ol>
      <SkippedList plan={plan} />
      {failing.length > 0 && !outcome && (
        <Alert severity="error" className={classes.section}>
          <AlertTitle>The canary is failing in {listWords(failing)}</AlertTitle>
          Promoting sends all of the route’s traffic there to{' '}
          {'subset' in intent ? intent.subset : 'the canary'}.
          <FormControlLabel
            control={
              <Checkbox
                checked={promoteAnyway}
                onChange={e => onPromoteAnywayChange(e.target.checked)}
                disabled={running}
              />
            }
            label={`Promote anyway in ${listWords(
              failing,
            )}: the canary is failing`}
          />
        </Alert>
      )}
      {result && (
        <Alert severity={result.severity} className={classes.section}>
          <AlertTitle>{result.title}</AlertTitle>
          {result.detail}
        </Alert>
      )}
    </>
  );
};

export interface FleetApplyActionsProps {
  state: FleetApplyState;
  /** "Promote anyway" is ticked: Apply waits for it where a canary is failing. */
  promoteAnyway: boolean;
  onBack: () => void;
  onClose: () => void;
  onApply: () => void;
}

/** The buttons of a fleet change: back to the single cluster, close, and apply in N clusters. */
export const FleetApplyActions = ({
  state,
  promoteAnyway,
  onBack,
  onClose,
  onApply,
}: FleetApplyActionsProps) => {
  const { running, outcome, settled, included, dryRuns, failing } = state;
  const confirmed = failing.length === 0 || promoteAnyway;
  const anyFailed = Object.values(dryRuns).some(d => d.state === 'error');
  const n = included.length;
  return (
    <>
      {!outcome && (
        <Button onClick={onBack} disabled={running}>
          Back
        </Button>
      )}
      {!outcome && anyFailed && (
        <Button onClick={state.previewAgain} disabled={running || !settled}>
          Run the dry runs again
        </Button>
      )}
      <Button onClick={onClose} disabled={running}>
        {outcome ? 'Close' : 'Cancel'}
      </Button>
      {!outcome && (
        <Button
          variant="contained"
          color="primary"
          disabled={running || !settled || n === 0 || !confirmed}
          onClick={onApply}
        >
          {running ? 'Applying…' : `Apply in ${n} cluster${n === 1 ? '' : 's'}`}
        </Button>
      )}
    </>
  );
};
