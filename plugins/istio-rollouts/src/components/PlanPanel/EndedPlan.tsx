import { StepPlanRecord } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { exactTime, relativeTime } from '../../lib/relativeTime';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    minWidth: 0,
  },
  reason: {
    color: theme.palette.text.secondary,
    overflowWrap: 'anywhere',
  },
}));

/** A route's last plan once it has ended: its label and the server's reason, compact and without commands. */
export const EndedPlan = ({
  record,
  now = new Date(),
}: {
  record: StepPlanRecord;
  /** The time "… ago" is worded against; the page re-renders at each refresh. */
  now?: Date;
}) => {
  const classes = useStyles();
  const end = record.state.end;
  return (
    <div
      className={classes.root}
      role="group"
      aria-label={`Last step plan, #${record.id}`}
    >
      <Chip
        size="small"
        variant="outlined"
        label={`plan #${record.id} · ${record.progress.label}`}
      />
      {end && (
        <Typography variant="body2" className={classes.reason}>
          {end.reason} ·{' '}
          <time dateTime={end.at} title={exactTime(end.at)}>
            {relativeTime(end.at, now)}
          </time>
        </Typography>
      )}
    </div>
  );
};
