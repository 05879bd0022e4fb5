import { StepPlanEvent } from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useId, useState } from 'react';
import { actorName } from '../../lib/actorName';
import { exactTime, relativeTime } from '../../lib/relativeTime';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1),
    overflowWrap: 'anywhere',
  },
  time: {
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * A plan's own history, collapsed by default and newest first (the server keeps it oldest first): when, what in
 * the server's words, and who, for a person's command.
 */
export const PlanEvents = ({
  planId,
  events,
  now = new Date(),
}: {
  planId: string;
  events: StepPlanEvent[];
  /** The time "… ago" is worded against; the page re-renders at each refresh. */
  now?: Date;
}) => {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (events.length === 0) return null;
  return (
    <div>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={id}
        endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        onClick={() => setOpen(o => !o)}
      >
        Plan history ({events.length})
      </Button>
      <Collapse in={open}>
        <ol
          id={id}
          className={classes.list}
          aria-label={`History of plan #${planId}, newest first`}
        >
          {[...events].reverse().map((event, i) => (
            <Typography
              // Events are only ever appended: their position from the end is stable.
              // eslint-disable-next-line react/no-array-index-key
              key={`${event.at}-${events.length - i}`}
              component="li"
              variant="body2"
              className={classes.item}
            >
              <time
                dateTime={event.at}
                title={exactTime(event.at)}
                className={classes.time}
              >
                {relativeTime(event.at, now)}
              </time>
              <span>{event.message}</span>
              {event.actor && (
                <span className={classes.muted} title={event.actor}>
                  {actorName(event.actor)}
                </span>
              )}
            </Typography>
          ))}
        </ol>
      </Collapse>
    </div>
  );
};
