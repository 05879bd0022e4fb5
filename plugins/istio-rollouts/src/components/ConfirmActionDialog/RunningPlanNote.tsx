import { Rollout, routeLabel } from '@internal/plugin-istio-rollouts-common';
import Alert from '@material-ui/lab/Alert';

/**
 * Before a person's change to a VirtualService a step plan is moving: the plan pauses at its next tick, since it
 * finds the object changed outside it (any route: the plan watches the object's version) and never fights that.
 */
export const RunningPlanNote = ({ rollout }: { rollout: Rollout }) => {
  const running = rollout.routes.filter(r => r.plan?.status === 'running');
  if (running.length === 0) return null;
  const plans = running
    .map(r => `Plan #${r.plan!.id} is running on ${routeLabel(r)}`)
    .join('; ');
  return (
    <Alert severity="info" role="note">
      {plans}. Applying this change pauses {running.length > 1 ? 'them' : 'it'}:
      a plan stops when its VirtualService changes outside it. Resume or abort
      it on its route afterwards.
    </Alert>
  );
};
