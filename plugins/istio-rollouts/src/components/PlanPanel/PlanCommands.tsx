import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  PlanCommandResponse,
  StepPlanCommandName,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme } from '@material-ui/core/styles';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import SkipNextIcon from '@material-ui/icons/SkipNext';
import StopIcon from '@material-ui/icons/Stop';
import FastForwardIcon from '@material-ui/icons/FastForward';
import { ReactElement, useState } from 'react';
import { PLAN_COMMAND_LABELS, PLAN_COMMAND_ORDER } from '../../lib/planWords';
import { errorText } from '../WeightEditor/WeightRow';
import { PlanCommandDialog } from './PlanCommandDialog';
import { PlansContextValue } from './PlansContext';

const useStyles = makeStyles((theme: Theme) => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  // The theme's error red, darkened where the light theme's falls short of WCAG AA as text.
  abort: {
    color: errorText(theme),
    borderColor: errorText(theme),
  },
}));

/** The start of each button's accessible name, which goes on with the plan and the route. */
const NAMES: Record<StepPlanCommandName, string> = {
  next: 'Next step of plan',
  skipToEnd: 'Skip to end of plan',
  pause: 'Pause plan',
  resume: 'Resume plan',
  abort: 'Abort plan',
};

const ICONS: Record<StepPlanCommandName, ReactElement> = {
  next: <SkipNextIcon />,
  skipToEnd: <FastForwardIcon />,
  pause: <PauseIcon />,
  resume: <PlayArrowIcon />,
  abort: <StopIcon />,
};

export interface PlanCommandsProps {
  record: StepPlanRecord;
  /** The rollout's resourceVersion as the page shows it (sent with resume and abort). */
  resourceVersion: string;
  /** How the route is named in the buttons' accessible names, e.g. `reviews-route`. */
  routeName: string;
  context: PlansContextValue;
}

/**
 * The commands the server says the caller may give the plan now (`record.commands`), and only those, each
 * confirmed in a small dialog. After a command the plan shows as answered, and the page reads everything again.
 */
export const PlanCommands = ({
  record,
  resourceVersion,
  routeName,
  context,
}: PlanCommandsProps) => {
  const classes = useStyles();
  const alertApi = useApi(alertApiRef);
  const [command, setCommand] = useState<StepPlanCommandName>();
  const commands = PLAN_COMMAND_ORDER.filter(c => record.commands.includes(c));
  if (commands.length === 0) return null;

  const done = (response: PlanCommandResponse) => {
    setCommand(undefined);
    context.plans.replaceRecord(response.record);
    context.onChanged();
    alertApi.post({
      message: response.summary,
      severity: 'success',
      display: 'transient',
    });
  };

  return (
    <div className={classes.row}>
      {commands.map((c, i) => (
        <Button
          key={c}
          size="small"
          variant="outlined"
          color={i === 0 && c !== 'abort' ? 'primary' : 'default'}
          className={c === 'abort' ? classes.abort : undefined}
          startIcon={ICONS[c]}
          aria-label={`${NAMES[c]} #${record.id} on ${routeName}`}
          onClick={() => setCommand(c)}
        >
          {PLAN_COMMAND_LABELS[c]}
        </Button>
      ))}
      <PlanCommandDialog
        entityRef={context.entityRef}
        record={record}
        command={command}
        resourceVersion={resourceVersion}
        routeName={routeName}
        onClose={() => setCommand(undefined)}
        onDone={done}
        onConflict={context.onConflict}
      />
    </div>
  );
};
