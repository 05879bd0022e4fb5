import { CanaryVerdict } from '@internal/plugin-istio-rollouts-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { CanaryVerdictChip } from '../CanaryVerdictChip';

const useStyles = makeStyles((theme: Theme) => ({
  verdict: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    margin: theme.spacing(0, 0, 2),
  },
  failing: {
    margin: theme.spacing(0, 0, 2),
  },
  confirm: {
    display: 'flex',
    marginTop: theme.spacing(1),
  },
}));

/** What a failing verdict's summary says beyond `failing`: `4.2 % errors vs 0.3 %`. */
export function failingDetail(verdict: CanaryVerdict): string {
  return verdict.summary.replace(/^failing:\s*/i, '') || verdict.summary;
}

export interface PromoteHealthCheckProps {
  /** The server's verdict on the canary of the route the promotion moves. */
  verdict: CanaryVerdict;
  /** Whether "Promote anyway" is ticked (only asked when the canary is failing). */
  confirmed: boolean;
  onConfirmedChange: (confirmed: boolean) => void;
  disabled?: boolean;
}

/**
 * The canary's health in a promotion's confirmation: the server's verdict,
 * and when it is `failing`, the second confirmation the dialog waits for — a
 * "Promote anyway" checkbox that names why.
 */
export const PromoteHealthCheck = ({
  verdict,
  confirmed,
  onConfirmedChange,
  disabled,
}: PromoteHealthCheckProps) => {
  const classes = useStyles();
  return (
    <>
      <div className={classes.verdict}>
        <Typography variant="body2" component="span">
          Canary health of {verdict.canary} (vs {verdict.stable}):
        </Typography>
        <CanaryVerdictChip verdict={verdict} />
      </div>
      {verdict.status === 'failing' && (
        <Alert severity="error" className={classes.failing}>
          <AlertTitle>The canary is failing</AlertTitle>
          Promoting sends all of this route’s traffic to {verdict.canary}.
          <FormControlLabel
            className={classes.confirm}
            control={
              <Checkbox
                checked={confirmed}
                onChange={e => onConfirmedChange(e.target.checked)}
                disabled={disabled}
              />
            }
            label={`Promote anyway: the canary is failing (${failingDetail(
              verdict,
            )})`}
          />
        </Alert>
      )}
    </>
  );
};
