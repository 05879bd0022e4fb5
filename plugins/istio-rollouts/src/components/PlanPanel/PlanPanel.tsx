import {
  StepPlanPauseKind,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import Alert from '@material-ui/lab/Alert';
import { actorName } from '../../lib/actorName';
import { PlanCommands } from './PlanCommands';
import { PlanEvents } from './PlanEvents';
import { PlanNext } from './PlanNext';
import { PlanStepper } from './PlanStepper';
import { PlansContextValue } from './PlansContext';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    minWidth: 0,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  heading: {
    margin: 0,
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  chip: {
    maxWidth: '100%',
  },
}));

/** Pauses a person asked for (or planned) are news; the others say something needs looking at. */
const EXPECTED_PAUSES: StepPlanPauseKind[] = ['step', 'manual'];

export interface PlanPanelProps {
  record: StepPlanRecord;
  /** The rollout's resourceVersion as the page shows it (sent with resume and abort). */
  resourceVersion: string;
  /** How the route is named, e.g. `reviews-route`. */
  routeName: string;
  context: PlansContextValue;
}

/**
 * A plan running (or paused) on a route, as the server serves it: its progress label, its steps, what it waits
 * for and until when, why it is paused, the commands the caller may give, and its own history.
 */
export const PlanPanel = ({
  record,
  resourceVersion,
  routeName,
  context,
}: PlanPanelProps) => {
  const classes = useStyles();
  const { state, progress, plan } = record;
  const headingId = `istio-rollouts-plan-${record.id}`;
  const pause = state.pause;
  // While paused the server's `next` is the pause's message: the notice says it once.
  const next =
    progress.next && progress.next.what !== pause?.message
      ? progress.next
      : undefined;
  return (
    <section className={classes.root} aria-labelledby={headingId}>
      <div className={classes.header}>
        <Typography
          variant="subtitle2"
          component="h4"
          id={headingId}
          className={classes.heading}
        >
          Step plan #{record.id}
        </Typography>
        {/* Polite: a new step is read out once, when the next refresh brings it. */}
        <span role="status">
          <Chip
            size="small"
            color="primary"
            icon={<PlaylistPlayIcon />}
            label={progress.label}
            className={classes.chip}
          />
        </span>
        <Typography variant="caption" className={classes.muted}>
          {plan.template ? `“${plan.template}” · ` : ''}
          {plan.stableSubset} → {plan.canarySubset} · as{' '}
          <span title={record.actor}>{actorName(record.actor)}</span>
        </Typography>
      </div>
      <PlanStepper record={record} />
      {pause && (
        <Alert
          severity={EXPECTED_PAUSES.includes(pause.kind) ? 'info' : 'warning'}
          role="note"
        >
          Paused: {pause.message}
        </Alert>
      )}
      {next && <PlanNext next={next} />}
      <PlanCommands
        record={record}
        resourceVersion={resourceVersion}
        routeName={routeName}
        context={context}
      />
      <PlanEvents planId={record.id} events={record.events} />
    </section>
  );
};
