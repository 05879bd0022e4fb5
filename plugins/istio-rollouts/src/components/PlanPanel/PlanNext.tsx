import { StepPlanProgress } from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useCountdown } from '../../hooks/useCountdown';
import { formatCountdown } from '../../lib/planWords';
import { exactTime } from '../../lib/relativeTime';
import { visuallyHidden } from '../../lib/visuallyHidden';

const useStyles = makeStyles((theme: Theme) => ({
  countdown: {
    fontVariantNumeric: 'tabular-nums',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  visuallyHidden,
}));

/**
 * What the plan waits for, as the server says (`progress.next`), and a countdown to when it is due that ticks
 * every second and stops at 0. The ticking clock is hidden from screen readers, which read the exact time
 * instead, so nothing is announced every second.
 */
export const PlanNext = ({
  next,
}: {
  next: NonNullable<StepPlanProgress['next']>;
}) => {
  const classes = useStyles();
  const remaining = useCountdown(next.at);
  return (
    <Typography variant="body2">
      Next: {next.what}
      {next.at && remaining !== undefined && (
        <>
          {' '}
          <span
            className={classes.countdown}
            aria-hidden
            data-testid="plan-countdown"
          >
            {remaining > 0 ? `in ${formatCountdown(remaining)}` : 'due now'}
          </span>
          <span className={classes.visuallyHidden}>
            , due {exactTime(next.at)}
          </span>
        </>
      )}
    </Typography>
  );
};
