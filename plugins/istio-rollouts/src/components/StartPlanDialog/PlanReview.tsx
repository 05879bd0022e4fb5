import {
  StartPlanResponse,
  StepPlanAnalysis,
} from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  formatLatency,
  formatSuccessRate,
  formatWindow,
} from '../../lib/metrics';
import { stepLabel } from '../../lib/planWords';

const useStyles = makeStyles((theme: Theme) => ({
  section: {
    marginTop: theme.spacing(2),
  },
  steps: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(3),
    overflowWrap: 'anywhere',
  },
}));

/** An analysis step's checks as the server filled them in (its defaults for the fields left empty). */
function analysisWords(a: StepPlanAnalysis): string {
  return `success rate at least ${formatSuccessRate(
    a.minSuccessRate,
  )}, p99 at most ${formatLatency(a.maxLatencyP99Ms)}, at least ${
    a.minRequests
  } requests per ${formatWindow(
    a.windowSeconds,
  )}; measured every ${formatWindow(a.intervalSeconds)}, passes after ${
    a.count
  } healthy, fails after ${a.failureLimit} failing`;
}

/**
 * The dry run's answer: the server's summary of the plan, its warning (a GitOps tool may revert the plan's
 * writes), and the steps as the server would run them.
 */
export const PlanReview = ({ response }: { response: StartPlanResponse }) => {
  const classes = useStyles();
  return (
    <>
      <Typography variant="body1" component="p">
        {response.summary}
      </Typography>
      {response.warning && (
        <Alert severity="warning" className={classes.section}>
          {response.warning}
        </Alert>
      )}
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        Steps as the server will run them
      </Typography>
      <ol className={classes.steps}>
        {response.plan.steps.map((step, i) => (
          // The plan's steps, in order, never reordered here.
          // eslint-disable-next-line react/no-array-index-key
          <Typography key={i} component="li" variant="body2">
            {stepLabel(step)}
            {'analysis' in step && `: ${analysisWords(step.analysis)}`}
          </Typography>
        ))}
      </ol>
    </>
  );
};
