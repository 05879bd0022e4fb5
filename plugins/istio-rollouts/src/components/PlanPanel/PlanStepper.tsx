import {
  StepPlanAnalysisResult,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { stepLabel } from '../../lib/planWords';
import { exactTime } from '../../lib/relativeTime';
import { visuallyHidden } from '../../lib/visuallyHidden';

/** Results shown per analysis step: the latest ones; older ones are counted. */
const MAX_RESULTS = 5;

const useStyles = makeStyles((theme: Theme) => ({
  // Many steps scroll sideways inside the card rather than widening the page.
  scroll: {
    overflowX: 'auto',
    position: 'relative',
  },
  stepper: {
    padding: theme.spacing(1, 0),
    backgroundColor: 'transparent',
  },
  results: {
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    textAlign: 'left',
  },
  result: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    overflowWrap: 'anywhere',
  },
  icon: {
    fontSize: '1rem',
    flexShrink: 0,
    marginTop: 2,
  },
  healthy: { color: theme.palette.success.main },
  failing: { color: theme.palette.error.main },
  inconclusive: { color: theme.palette.text.secondary },
  muted: { color: theme.palette.text.secondary },
  visuallyHidden,
}));

const ICONS = {
  healthy: CheckCircleIcon,
  failing: ErrorIcon,
  inconclusive: HelpOutlineIcon,
};

/** The result in the server's words, with its status said first unless the summary already says it. */
function resultText(result: StepPlanAnalysisResult): string {
  return result.summary.startsWith(result.status)
    ? result.summary
    : `${result.status}: ${result.summary}`;
}

/** The measurements of one analysis step, newest last, each with an icon and words (never colour alone). */
const AnalysisResults = ({
  step,
  results,
}: {
  step: number;
  results: StepPlanAnalysisResult[];
}) => {
  const classes = useStyles();
  if (results.length === 0) return null;
  const shown = results.slice(-MAX_RESULTS);
  const earlier = results.length - shown.length;
  return (
    <ul
      className={classes.results}
      aria-label={`Analysis results of step ${step + 1}`}
    >
      {earlier > 0 && (
        <Typography component="li" variant="caption" className={classes.muted}>
          {earlier} earlier {earlier === 1 ? 'result' : 'results'}
        </Typography>
      )}
      {shown.map(result => {
        const Icon = ICONS[result.status] ?? HelpOutlineIcon;
        return (
          <Typography
            key={`${result.at}-${result.status}`}
            component="li"
            variant="caption"
            className={classes.result}
            title={exactTime(result.at)}
            data-status={result.status}
          >
            <Icon
              className={`${classes.icon} ${classes[result.status] ?? ''}`}
              aria-hidden
            />
            <span>{resultText(result)}</span>
          </Typography>
        );
      })}
    </ul>
  );
};

/**
 * A plan's steps in words, the done ones ticked and the current one marked (as the server's `stepIndex` says),
 * with the results of each analysis step under it. Across the card on a wide screen, down it on a phone.
 */
export const PlanStepper = ({ record }: { record: StepPlanRecord }) => {
  const classes = useStyles();
  const theme = useTheme();
  // Read at once (no server rendering here), so a phone never flashes the wide layout first.
  const phone = useMediaQuery(theme.breakpoints.down('xs'), { noSsr: true });
  const { steps } = record.plan;
  const { stepIndex, analyses } = record.state;
  return (
    // Focusable, so a sideways scroll of many steps works from the keyboard too.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className={classes.scroll} tabIndex={phone ? undefined : 0}>
      <Stepper
        activeStep={stepIndex}
        orientation={phone ? 'vertical' : 'horizontal'}
        alternativeLabel={!phone}
        className={classes.stepper}
        role="list"
        aria-label={`Steps of plan #${record.id}`}
      >
        {steps.map((step, i) => {
          const completed = i < stepIndex;
          const active = i === stepIndex;
          const results = analyses.filter(a => a.step === i);
          const last = results[results.length - 1];
          return (
            <Step
              // Steps never move: a plan's steps are fixed when it starts.
              // eslint-disable-next-line react/no-array-index-key
              key={i}
              completed={completed}
              active={active}
              role="listitem"
              aria-current={active ? 'step' : undefined}
            >
              <StepLabel
                error={last?.status === 'failing'}
                optional={
                  'analysis' in step ? (
                    <AnalysisResults step={i} results={results} />
                  ) : undefined
                }
              >
                {stepLabel(step)}
                <span className={classes.visuallyHidden}>
                  {completed && ', done'}
                  {active && ', current step'}
                </span>
              </StepLabel>
            </Step>
          );
        })}
      </Stepper>
    </div>
  );
};
