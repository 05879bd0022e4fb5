import { CompoundEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ActionRequest,
  CanaryVerdict,
  Rollout,
  RolloutActionResponse,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useState } from 'react';
import { istioRolloutsApiRef } from '../../api';
import { ACTION_LABELS } from '../../lib/actions';
import { isStaleConflict, messageOf, statusOf } from '../../lib/errors';
import { appliedSummary, findRoute, planFleet } from '../../lib/fleet';
import {
  FleetApplyActions,
  FleetApplyContent,
  FleetOffer,
  useFleet,
  useFleetApply,
} from '../FleetApply';
import { PromoteHealthCheck } from '../PromoteHealthCheck';
import { ActionPreview } from './ActionPreview';
import { RunningPlanNote } from './RunningPlanNote';
import { targetListStyles } from './targetListStyles';

const useStyles = makeStyles((theme: Theme) => ({
  target: targetListStyles(theme),
  section: {
    marginTop: theme.spacing(2),
  },
  // On a phone the buttons go onto two lines rather than off the screen.
  actions: {
    flexWrap: 'wrap',
    rowGap: theme.spacing(1),
  },
}));

/** The title of the confirmation, e.g. `Promote v2`, `Start canary v3`. */
export function actionTitle(intent: ActionRequest): string {
  const label = ACTION_LABELS[intent.action] ?? intent.action;
  return 'subset' in intent ? `${label} ${intent.subset}` : label;
}

export interface ConfirmActionDialogProps {
  entityRef: CompoundEntityRef;
  rollout: Rollout;
  /** The action to confirm; the dialog is open while it is set. */
  intent?: ActionRequest;
  onClose: () => void;
  /** The action was applied: the answer carries the rollout read back. */
  onApplied: (response: RolloutActionResponse) => void;
  /** The VirtualService changed since it was loaded: reload it. */
  onConflict: () => void;
  /**
   * The server's verdict on the canary of the route a promotion moves: shown
   * in its confirmation, and when `failing` the user must tick "Promote
   * anyway" before applying. Ignored for every other action.
   */
  verdict?: CanaryVerdict;
}

type Preview =
  | { state: 'loading' }
  | { state: 'ready'; value: RolloutActionResponse }
  | { state: 'error'; error: unknown };

/**
 * The confirmation every action goes through: it names the cluster,
 * namespace, VirtualService and route, runs the action as a dry run and shows
 * the server's summary, the route as YAML with the changed lines marked and
 * the exact JSON Patch (collapsed), and takes an optional reason for the
 * history. Applying sends the same request for real. A promotion shows the
 * canary's verdict too, and a failing canary takes a second, explicit
 * confirmation. On the Rollouts tab, the same change can be extended to the
 * same route in every other cluster (see FleetApply).
 */
export const ConfirmActionDialog = ({
  entityRef,
  rollout,
  intent,
  onClose,
  onApplied,
  onConflict,
  verdict,
}: ConfirmActionDialogProps) => {
  const classes = useStyles();
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('xs'));
  const api = useApi(istioRolloutsApiRef);
  const fleet = useFleet();
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [reason, setReason] = useState('');
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<unknown>();
  const [conflict, setConflict] = useState(false);
  const [promoteAnyway, setPromoteAnyway] = useState(false);
  const [fleetMode, setFleetMode] = useState(false);
  const [fleetPromoteAnyway, setFleetPromoteAnyway] = useState(false);
  const open = Boolean(intent);
  const request = JSON.stringify(intent ?? null);
  const health = intent?.action === 'promote' ? verdict : undefined;
  const failing = health?.status === 'failing';
  const actionLabel = intent
    ? ACTION_LABELS[intent.action] ?? intent.action
    : '';
  const fleetPlan =
    intent && fleet
      ? planFleet(intent, fleet.rollouts, fleet.clusterOrder, actionLabel)
      : undefined;
  const fleetState = useFleetApply(
    entityRef,
    intent,
    actionLabel,
    fleet,
    open && fleetMode,
  );

  // A canary that turns failing while the dialog is open asks again.
  useEffect(() => {
    if (failing) setPromoteAnyway(false);
  }, [failing]);

  useEffect(() => {
    if (!intent) return undefined;
    let cancelled = false;
    setPreview({ state: 'loading' });
    setReason('');
    setApplyError(undefined);
    setConflict(false);
    setPromoteAnyway(false);
    setFleetMode(false);
    api
      .runAction(entityRef, { ...intent, dryRun: true })
      .then(value => !cancelled && setPreview({ state: 'ready', value }))
      .catch(error => {
        if (cancelled) return;
        setPreview({ state: 'error', error });
        // Reload on any 409: the page then shows the change, or the owner.
        if (statusOf(error) === 409) onConflict();
        if (isStaleConflict(error)) setConflict(true);
      });
    return () => {
      cancelled = true;
    };
    // The request is compared by value: a refresh of the page hands the
    // dialog an equal intent and must not run the dry run again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, request]);

  const apply = async () => {
    if (!intent) return;
    setApplying(true);
    setApplyError(undefined);
    try {
      const response = await api.runAction(entityRef, {
        ...intent,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onApplied(response);
    } catch (error) {
      setApplyError(error);
      if (statusOf(error) === 409) onConflict();
      if (isStaleConflict(error)) setConflict(true);
    } finally {
      setApplying(false);
    }
  };

  // After a fleet change that changed this cluster, closing is what applying
  // is for a single change (the editor closes, the page says what was done),
  // with every cluster's summary.
  const close = () => {
    const outcome = fleetMode ? fleetState.outcome : undefined;
    const here = outcome?.applied.find(a => a.step.origin);
    if (!outcome || !here) {
      onClose();
      return;
    }
    const warnings = [
      ...new Set(outcome.applied.map(a => a.response.warning).filter(Boolean)),
    ];
    onApplied({
      ...here.response,
      summary: appliedSummary(outcome.applied),
      warning: warnings.length ? warnings.join(' ') : undefined,
    });
  };

  const route = intent?.route ? findRoute(rollout, intent.route) : undefined;
  const ready = preview.state === 'ready' ? preview.value : undefined;
  const changedRoutes = ready?.routes ?? [];
  let routeNames = 'found by the backend';
  if (changedRoutes.length > 0) {
    routeNames = changedRoutes.map(routeLabel).join(', ');
  } else if (route) {
    routeNames = routeLabel(route);
  }
  const canApply =
    Boolean(ready?.changed) &&
    // A change the plugin cannot place in Git is made by hand.
    !ready?.gitops?.cannotPlace &&
    !conflict &&
    !applying &&
    (!failing || promoteAnyway);
  const title = intent ? actionTitle(intent) : '';
  const busy = applying || fleetState.running;

  const reasonField = (
    <div className={classes.section}>
      <TextField
        id="istio-rollouts-action-reason"
        label="Reason (optional)"
        helperText="Kept in the history with your name"
        fullWidth
        variant="outlined"
        size="small"
        value={reason}
        onChange={e => setReason(e.target.value)}
        inputProps={{ maxLength: 500 }}
        disabled={
          fleetMode
            ? busy || Boolean(fleetState.outcome)
            : !ready?.changed || conflict
        }
      />
    </div>
  );

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : close}
      maxWidth="md"
      fullWidth
      fullScreen={fullScreen}
      aria-labelledby="istio-rollouts-confirm-title"
    >
      <DialogTitle id="istio-rollouts-confirm-title">
        {title} on {rollout.name}
        {fleetMode ? ' in every cluster' : ''}?
      </DialogTitle>
      {fleetMode && intent ? (
        <>
          <DialogContent dividers>
            <FleetApplyContent
              intent={intent}
              state={fleetState}
              promoteAnyway={fleetPromoteAnyway}
              onPromoteAnywayChange={setFleetPromoteAnyway}
            />
            {reasonField}
          </DialogContent>
          <DialogActions className={classes.actions}>
            <FleetApplyActions
              state={fleetState}
              promoteAnyway={fleetPromoteAnyway}
              onBack={() => setFleetMode(false)}
              onClose={close}
              onApply={() => fleetState.apply(reason)}
            />
          </DialogActions>
        </>
      ) : (
        <>
          <DialogContent dividers>
            <dl className={classes.target} aria-label="Target">
              <dt>Cluster</dt>
              <dd>{rollout.cluster}</dd>
              <dt>Namespace</dt>
              <dd>{rollout.namespace}</dd>
              <dt>VirtualService</dt>
              <dd>{rollout.name}</dd>
              <dt>Route</dt>
              <dd>
                {routeNames}
                {route && changedRoutes.length <= 1 ? ` (${route.match})` : ''}
              </dd>
            </dl>

            <RunningPlanNote rollout={rollout} />

            {health && (
              <PromoteHealthCheck
                verdict={health}
                confirmed={promoteAnyway}
                onConfirmedChange={setPromoteAnyway}
                disabled={applying}
              />
            )}

            {conflict && (
              <Alert severity="warning">
                <AlertTitle>
                  Someone changed {rollout.name} since you loaded it
                </AlertTitle>
                Nothing was written. The view has been reloaded: check the new
                split and try again.
                {applyError || preview.state === 'error' ? (
                  <Typography variant="caption" component="div">
                    {messageOf(
                      applyError ?? (preview as { error: unknown }).error,
                    )}
                  </Typography>
                ) : null}
              </Alert>
            )}

            {preview.state === 'loading' && <Progress />}
            {preview.state === 'error' && !conflict && (
              <Alert severity="error">
                <AlertTitle>
                  The backend refused this {title.toLowerCase()}
                </AlertTitle>
                {messageOf(preview.error)}
              </Alert>
            )}

            {ready && <ActionPreview response={ready} headingLevel={3} />}

            {Boolean(applyError) && !conflict && (
              <Alert severity="error" className={classes.section}>
                <AlertTitle>Not applied</AlertTitle>
                {messageOf(applyError)}
              </Alert>
            )}

            <FleetOffer
              plan={fleetPlan}
              disabled={applying}
              onStart={() => {
                setFleetPromoteAnyway(false);
                setFleetMode(true);
              }}
            />

            {reasonField}
          </DialogContent>
          <DialogActions className={classes.actions}>
            <Button onClick={onClose} disabled={applying}>
              {conflict || applyError ? 'Close' : 'Cancel'}
            </Button>
            <Button
              variant="contained"
              color="primary"
              disabled={!canApply}
              onClick={apply}
            >
              {applying ? 'Applying…' : 'Apply'}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};
