import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  PlanCommandRequest,
  PlanCommandResponse,
  StepPlanCommandName,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useState } from 'react';
import { istioRolloutsApiRef } from '../../api';
import { fillForWhiteText } from '../../lib/colors';
import { messageOf, statusOf } from '../../lib/errors';
import {
  commandEffect,
  commandNeedsVersion,
  PLAN_COMMAND_LABELS,
} from '../../lib/planWords';

const useStyles = makeStyles((theme: Theme) => ({
  section: {
    marginTop: theme.spacing(2),
  },
  // Abort is the one that rolls back: its confirmation is in the error colour too.
  danger: {
    color: '#fff',
    backgroundColor: fillForWhiteText(theme.palette.error.main),
    '&:hover': {
      backgroundColor: fillForWhiteText(theme.palette.error.dark),
    },
  },
}));

/** What the confirming button says. */
const CONFIRM_LABELS: Record<StepPlanCommandName, string> = {
  next: 'Go to next step',
  skipToEnd: 'Skip to end',
  pause: 'Pause plan',
  resume: 'Resume plan',
  abort: 'Abort plan',
};

export interface PlanCommandDialogProps {
  entityRef: CompoundEntityRef;
  record: StepPlanRecord;
  /** The command to confirm; the dialog is open while it is set. */
  command?: StepPlanCommandName;
  /** The rollout's resourceVersion as the page shows it: what resume and abort take the route at. */
  resourceVersion: string;
  /** How the route is named, e.g. `reviews-route`. */
  routeName: string;
  onClose: () => void;
  onDone: (response: PlanCommandResponse) => void;
  /** The server answered 409: the page reads the rollout and the plans again. */
  onConflict: () => void;
}

/**
 * A small confirmation of one command to a plan: what it will do, in words, and an optional reason; then the
 * command. A refusal shows the server's message as it is.
 */
export const PlanCommandDialog = ({
  entityRef,
  record,
  command,
  resourceVersion,
  routeName,
  onClose,
  onDone,
  onConflict,
}: PlanCommandDialogProps) => {
  const classes = useStyles();
  const api = useApi(istioRolloutsApiRef);
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setReason('');
    setError(undefined);
  }, [command]);

  if (!command) return null;
  const label = PLAN_COMMAND_LABELS[command];
  const titleId = `istio-rollouts-plan-command-${record.id}`;

  const send = async () => {
    setSending(true);
    setError(undefined);
    const request: PlanCommandRequest = {
      command,
      ...(commandNeedsVersion(command) && { resourceVersion }),
      ...(reason.trim() && { reason: reason.trim() }),
    };
    try {
      onDone(await api.commandPlan(entityRef, record.id, request));
    } catch (e) {
      setError(e);
      if (statusOf(e) === 409) onConflict();
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog
      open
      onClose={sending ? undefined : onClose}
      maxWidth="xs"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        {label}: plan #{record.id} on {routeName}?
      </DialogTitle>
      <DialogContent dividers>
        <DialogContentText>
          {commandEffect(record, command, resourceVersion)}
        </DialogContentText>
        <TextField
          id={`${titleId}-reason`}
          className={classes.section}
          label="Reason (optional)"
          helperText="Kept in the plan’s history with your name"
          fullWidth
          variant="outlined"
          size="small"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ maxLength: 500 }}
          disabled={sending}
        />
        {Boolean(error) && (
          <Alert severity="error" className={classes.section}>
            <AlertTitle>Not done</AlertTitle>
            {messageOf(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={sending}>
          {error ? 'Close' : 'Cancel'}
        </Button>
        <Button
          variant="contained"
          color={command === 'abort' ? 'default' : 'primary'}
          className={command === 'abort' ? classes.danger : undefined}
          disabled={sending}
          onClick={send}
        >
          {sending ? 'Sending…' : CONFIRM_LABELS[command]}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
