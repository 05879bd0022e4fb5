import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Rollout,
  Route,
  StartPlanOffer,
  StartPlanResponse,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import PlaylistPlayIcon from '@material-ui/icons/PlaylistPlay';
import { useState } from 'react';
import { useEntityAccessContext } from '../../hooks/entityAccess';
import { disabledReason } from '../../lib/actions';
import { routePlans } from '../../lib/planRecords';
import { GatedButton } from '../ActionButtons';
import { routeName, usePlansContext } from '../PlanPanel';
import { StartPlanDialog } from './StartPlanDialog';

/**
 * "Start plan…" on a route the server offers a plan on (`route.planOffer`), when the caller may start one
 * (`canStart`) and no plan runs on it. A controller's or the server's lock disables it with the reason, as it
 * does every change.
 */
export const StartPlanButton = ({
  rollout,
  route,
}: {
  rollout: Rollout;
  route: Route;
}) => {
  const context = usePlansContext();
  const alertApi = useApi(alertApiRef);
  const access = useEntityAccessContext();
  // The offer as it was when the dialog opened: a refresh that takes it away (someone else started a plan) must not
  // close the dialog under the person's hands; the server answers their request.
  const [opened, setOpened] = useState<StartPlanOffer>();
  const value = context?.plans.value;
  const offer = route.planOffer;
  const offered =
    context &&
    value?.canStart &&
    offer &&
    !routePlans(value.plans, rollout, route).active;
  if (!context || (!offered && !opened)) return null;
  const locked =
    rollout.readOnly || rollout.owner?.effect === 'refuses-edits'
      ? disabledReason(rollout, 'setWeights', access)
      : undefined;
  const name = routeName(route);

  const started = (response: StartPlanResponse) => {
    setOpened(undefined);
    if (response.record) context.plans.replaceRecord(response.record);
    context.onChanged();
    alertApi.post({
      message: `Started: ${response.summary}${
        response.warning ? ` — ${response.warning}` : ''
      }`,
      severity: response.warning ? 'warning' : 'success',
      display: 'transient',
    });
  };

  return (
    <>
      {offered && offer && (
        <GatedButton reason={locked}>
          <Button
            variant="outlined"
            startIcon={<PlaylistPlayIcon />}
            disabled={Boolean(locked)}
            aria-label={`Start plan on ${name} in ${rollout.cluster} (${offer.stableSubset} → ${offer.canarySubset})`}
            onClick={() => setOpened(offer)}
          >
            Start plan…
          </Button>
        </GatedButton>
      )}
      {opened && (
        <StartPlanDialog
          entityRef={context.entityRef}
          rollout={rollout}
          route={route}
          offer={opened}
          templates={value?.templates ?? []}
          canPromote={value?.canPromote ?? true}
          onClose={() => setOpened(undefined)}
          onStarted={started}
          onConflict={context.onConflict}
        />
      )}
    </>
  );
};
