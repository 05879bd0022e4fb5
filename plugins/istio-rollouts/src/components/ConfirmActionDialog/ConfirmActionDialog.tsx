import { CompoundEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ActionRequest,
  CanaryVerdict,
  Rollout,
  RolloutActionResponse,
  RolloutRouteChange,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useState } from 'react';
import { istioRolloutsApiRef } from '../../api';
import { ACTION_LABELS } from '../../lib/actions';
import { isStaleConflict, messageOf, statusOf } from '../../lib/errors';
import { destinationsOfStanza, formatStanzaSplit } from '../../lib/split';
import { PromoteHealthCheck } from '../PromoteHealthCheck';
import { RouteTrafficBar } from '../RouteTrafficBar';

const useStyles = makeStyles((theme: Theme) => ({
  target: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(0, 0, 2),
    '& dt': {
      color: theme.palette.text.secondary,
    },
    '& dd': {
      margin: 0,
      fontWeight: theme.typography.fontWeightMedium as number,
    },
  },
  section: {
    marginTop: theme.spacing(2),
  },
  change: {
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(7)}px 1fr`,
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  patch: {
    margin: theme.spacing(1, 0, 0),
    padding: theme.spacing(1.5),
    maxHeight: theme.spacing(30),
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/** A JSON Patch with one operation per line, as people read patches. */
export function formatPatch(operations: unknown[]): string {
  return `[\n${operations.map(op => `  ${JSON.stringify(op)}`).join(',\n')}\n]`;
}

/** The title of the confirmation, e.g. `Promote v2`, `Start canary v3`. */
export function actionTitle(intent: ActionRequest): string {
  const label = ACTION_LABELS[intent.action] ?? intent.action;
  return 'subset' in intent ? `${label} ${intent.subset}` : label;
}

const RouteChange = ({ change }: { change: RolloutRouteChange }) => {
  const classes = useStyles();
  const label = routeLabel(change);
  return (
    <div className={classes.section}>
      <Typography variant="subtitle2">
        {label}: {formatStanzaSplit(change.before)} →{' '}
        {formatStanzaSplit(change.after)}
      </Typography>
      <div className={classes.change}>
        <Typography variant="caption">Before</Typography>
        <RouteTrafficBar
          dense
          legend={false}
          title={`${label} before`}
          destinations={destinationsOfStanza(change.before)}
        />
        <Typography variant="caption">After</Typography>
        <RouteTrafficBar
          dense
          legend={false}
          title={`${label} after`}
          destinations={destinationsOfStanza(change.after)}
        />
      </div>
    </div>
  );
};

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
 * the split before → after and the exact JSON Patch, and takes an optional
 * reason for the history. Applying sends the same request for real. A
 * promotion shows the canary's verdict too, and a failing canary takes a
 * second, explicit confirmation.
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
  const api = useApi(istioRolloutsApiRef);
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [reason, setReason] = useState('');
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<unknown>();
  const [conflict, setConflict] = useState(false);
  const [promoteAnyway, setPromoteAnyway] = useState(false);
  const open = Boolean(intent);
  const request = JSON.stringify(intent ?? null);
  const health = intent?.action === 'promote' ? verdict : undefined;
  const failing = health?.status === 'failing';

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

  const route = intent?.route
    ? rollout.routes.find(
        r =>
          r.kind === intent.route!.kind &&
          (intent.route!.index !== undefined
            ? r.index === intent.route!.index
            : r.name === intent.route!.name),
      )
    : undefined;
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
    !conflict &&
    !applying &&
    (!failing || promoteAnyway);
  const title = intent ? actionTitle(intent) : '';

  return (
    <Dialog
      open={open}
      onClose={applying ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="istio-rollouts-confirm-title"
    >
      <DialogTitle id="istio-rollouts-confirm-title">
        {title} on {rollout.name}?
      </DialogTitle>
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
            Nothing was written. The view has been reloaded: check the new split
            and try again.
            {applyError || preview.state === 'error' ? (
              <Typography variant="caption" component="div">
                {messageOf(applyError ?? (preview as { error: unknown }).error)}
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

        {ready && (
          <>
            {!ready.changed && (
              <Alert severity="info">
                Nothing to change: the route already looks like this.
              </Alert>
            )}
            {ready.warning && <Alert severity="warning">{ready.warning}</Alert>}
            <Typography variant="body2" className={classes.section}>
              {ready.summary}
            </Typography>
            {changedRoutes.map(change => (
              <RouteChange
                key={`${change.kind}-${change.index}`}
                change={change}
              />
            ))}
            {ready.patches.length > 0 && (
              <div className={classes.section}>
                <Typography variant="subtitle2" component="h3">
                  Dry run: the patch that will be sent
                </Typography>
                {ready.patches.map(patch => (
                  <div key={`${patch.kind}/${patch.namespace}/${patch.name}`}>
                    <Typography variant="caption">
                      JSON Patch of {patch.kind} {patch.namespace}/{patch.name}
                    </Typography>
                    {/* A scrolling region must take the focus to be scrolled by keyboard. */}
                    {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
                    <pre className={classes.patch} tabIndex={0}>
                      {formatPatch(patch.operations)}
                    </pre>
                  </div>
                ))}
              </div>
            )}
          </>
        )}

        {Boolean(applyError) && !conflict && (
          <Alert severity="error" className={classes.section}>
            <AlertTitle>Not applied</AlertTitle>
            {messageOf(applyError)}
          </Alert>
        )}

        <TextField
          className={classes.section}
          id="istio-rollouts-action-reason"
          label="Reason (optional)"
          helperText="Kept in the history with your name"
          fullWidth
          variant="outlined"
          size="small"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ maxLength: 500 }}
          disabled={!ready?.changed || conflict}
        />
      </DialogContent>
      <DialogActions>
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
    </Dialog>
  );
};
