import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  finalCanaryWeight,
  istioRolloutsTrafficPromotePermission,
  Rollout,
  Route,
  StartPlanOffer,
  StartPlanRequest,
  StartPlanResponse,
  StepPlanOnFailure,
  StepPlanTemplate,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useState } from 'react';
import { istioRolloutsApiRef } from '../../api';
import { messageOf, statusOf } from '../../lib/errors';
import {
  checkPlanRequest,
  draftSteps,
  FieldError,
  initialSteps,
} from './planDraft';
import { chosenTemplate, CUSTOM, PlanForm } from './PlanForm';
import { PlanReview } from './PlanReview';

const useStyles = makeStyles((theme: Theme) => ({
  section: {
    marginTop: theme.spacing(2),
  },
  // On a phone the buttons go onto two lines rather than off the screen.
  actions: {
    flexWrap: 'wrap',
    rowGap: theme.spacing(1),
  },
}));

export interface StartPlanDialogProps {
  entityRef: CompoundEntityRef;
  rollout: Rollout;
  route: Route;
  offer: StartPlanOffer;
  templates: StepPlanTemplate[];
  /** Whether the caller may start a plan that ends at 100 % (`.traffic.promote`); the server decides. */
  canPromote?: boolean;
  onClose: () => void;
  onStarted: (response: StartPlanResponse) => void;
  /** The server answered 409: the page reads the rollout again. */
  onConflict: () => void;
}

/**
 * Starts a step plan on one route: the subsets the server offers, a template or custom steps, what a failed
 * analysis does, and a reason. Review sends the request as a dry run and shows the server's summary; Start plan
 * sends the same request for real. Custom steps are checked with the server's own rules first, so a field error
 * shows under its row without a round trip; the server's 400 is shown as it is.
 */
export const StartPlanDialog = ({
  entityRef,
  rollout,
  route,
  offer,
  templates,
  canPromote = true,
  onClose,
  onStarted,
  onConflict,
}: StartPlanDialogProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('xs'));
  const api = useApi(istioRolloutsApiRef);
  // The version the person saw when they opened the dialog: a change since is refused (409), never overwritten.
  const [resourceVersion] = useState(rollout.resourceVersion);
  const [choice, setChoice] = useState(templates.length ? '0' : CUSTOM);
  const [steps, setSteps] = useState(initialSteps);
  const [onFailure, setOnFailure] = useState<StepPlanOnFailure>('rollback');
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<FieldError>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [review, setReview] = useState<{
    request: StartPlanRequest;
    response: StartPlanResponse;
  }>();

  const template = chosenTemplate(templates, choice);
  const request = (): StartPlanRequest => ({
    rolloutId: rollout.id,
    resourceVersion,
    route: {
      kind: route.kind,
      index: route.index,
      ...(route.name && { name: route.name }),
    },
    stableSubset: offer.stableSubset,
    canarySubset: offer.canarySubset,
    ...(template
      ? { template: template.name }
      : { steps: draftSteps(steps), onFailure }),
    ...(reason.trim() && { reason: reason.trim() }),
  });

  const failed = (e: unknown) => {
    setError(e);
    if (statusOf(e) === 409) onConflict();
  };

  const runReview = async () => {
    const body = request();
    const local = checkPlanRequest(body, templates);
    setFieldError(local);
    setError(undefined);
    if (local) return;
    setBusy(true);
    try {
      const response = await api.startPlan(entityRef, {
        ...body,
        dryRun: true,
      });
      setReview({ request: body, response });
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!review) return;
    setBusy(true);
    setError(undefined);
    try {
      onStarted(await api.startPlan(entityRef, review.request));
    } catch (e) {
      failed(e);
      setBusy(false);
    }
  };

  // Any edit makes the review stale: back to the form.
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setFieldError(undefined);
    };

  const name = route.name ?? `${route.kind}[${route.index}]`;
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      fullScreen={fullScreen}
      aria-labelledby="istio-rollouts-start-plan-title"
    >
      <DialogTitle id="istio-rollouts-start-plan-title">
        Start a step plan on {name}?
      </DialogTitle>
      <DialogContent dividers>
        {review ? (
          <PlanReview response={review.response} />
        ) : (
          <PlanForm
            rollout={rollout}
            route={route}
            offer={offer}
            templates={templates}
            choice={choice}
            onChoice={edited(setChoice)}
            steps={steps}
            onSteps={edited(setSteps)}
            onFailure={onFailure}
            onOnFailure={edited(setOnFailure)}
            fieldError={fieldError}
            disabled={busy}
          />
        )}
        {!review && (
          <TextField
            id="istio-rollouts-plan-reason"
            className={classes.section}
            label="Reason (optional)"
            helperText="Kept with the plan and in the history with your name"
            fullWidth
            variant="outlined"
            size="small"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
            disabled={busy}
          />
        )}
        {!review &&
          !canPromote &&
          endsAtFull(template?.steps ?? draftSteps(steps)) && (
            <Alert severity="info" className={classes.section}>
              This plan ends with {offer.canarySubset} at 100 %: a promotion,
              which needs {istioRolloutsTrafficPromotePermission.name} on this
              entity, and you do not have it. Plans that stop below 100 % are
              yours to start.
            </Alert>
          )}
        {fieldError && fieldError.step === undefined && (
          <Alert severity="error" className={classes.section}>
            {fieldError.message}
          </Alert>
        )}
        {Boolean(error) && (
          <Alert severity="error" className={classes.section}>
            <AlertTitle>
              {review ? 'Not started' : 'The backend refused this plan'}
            </AlertTitle>
            {messageOf(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions className={classes.actions}>
        {review ? (
          <>
            <Button
              disabled={busy}
              onClick={() => {
                setReview(undefined);
                setError(undefined);
              }}
            >
              Back
            </Button>
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={start}
            >
              {busy ? 'Starting…' : 'Start plan'}
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={runReview}
            >
              {busy ? 'Checking…' : 'Review'}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
};

/** Whether steps end with the canary at 100 %: `setWeight` steps only, so a draft with analysis gaps counts too. */
function endsAtFull(steps: Array<{ setWeight?: number } | object>): boolean {
  return (
    finalCanaryWeight(
      steps.filter(
        (s): s is { setWeight: number } =>
          typeof (s as { setWeight?: unknown }).setWeight === 'number',
      ),
    ) === 100
  );
}
