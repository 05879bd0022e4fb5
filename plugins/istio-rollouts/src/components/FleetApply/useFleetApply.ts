import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  ActionRequest,
  CanaryVerdict,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { istioRolloutsApiRef } from '../../api';
import {
  applyInOrder,
  failingCanaries,
  FleetOutcome,
  FleetPlan,
  FleetTarget,
  moveItem,
  planFleet,
} from '../../lib/fleet';
import { Fleet } from './FleetContext';

/** One cluster's dry run. */
export type FleetDryRun =
  | { state: 'loading' }
  | { state: 'ready'; response: RolloutActionResponse }
  | { state: 'error'; error: unknown };

/** One cluster's write, once the user applies. */
export type FleetStep =
  | { status: 'applying' }
  | { status: 'applied'; response: RolloutActionResponse }
  | { status: 'failed'; error: unknown };

export interface FleetApplyState {
  plan?: FleetPlan;
  /** The clusters that have the route, in the order they will be changed. */
  order: FleetTarget[];
  dryRuns: Record<string, FleetDryRun>;
  steps: Record<string, FleetStep>;
  /** The clusters whose dry run says the change will change something, in order: those that will be applied. */
  included: FleetTarget[];
  /** The clusters that will not be changed: skipped by the plan, or whose dry run failed or changes nothing. */
  leftOut: string[];
  /** Every dry run has answered. */
  settled: boolean;
  running: boolean;
  outcome?: FleetOutcome<FleetTarget, RolloutActionResponse>;
  /** For a promotion: the server's verdict on the route's canary, per cluster. */
  verdicts: Record<string, CanaryVerdict | undefined>;
  /** For a promotion: the clusters to be changed whose canary is failing; applying then takes a second "yes". */
  failing: string[];
  move: (cluster: string, by: -1 | 1) => void;
  /** Plans again from the page's latest read (new resourceVersions) and runs every dry run again, in the user's order. */
  previewAgain: () => void;
  apply: (reason: string) => Promise<void>;
}

function included(
  order: FleetTarget[],
  dryRuns: Record<string, FleetDryRun>,
): FleetTarget[] {
  return order.filter(t => {
    const dryRun = dryRuns[t.cluster];
    return dryRun?.state === 'ready' && dryRun.response.changed;
  });
}

/** The targets of a new plan in the order the user chose for the old one; new clusters last. */
function keepOrder(targets: FleetTarget[], old: FleetTarget[]): FleetTarget[] {
  const rank = (t: FleetTarget) => {
    const i = old.findIndex(o => o.cluster === t.cluster);
    return i === -1 ? old.length : i;
  };
  return [...targets].sort((a, b) => rank(a) - rank(b));
}

/**
 * The state of a fleet change while its confirmation is open (`active`): the
 * plan from the page's rollouts, one dry run per cluster (all at once), the
 * order the user sets, then the writes one cluster after the other, stopping
 * at the first that fails. Every request goes through the plugin's actions
 * API, as a single change does.
 */
export function useFleetApply(
  entityRef: CompoundEntityRef,
  intent: ActionRequest | undefined,
  actionLabel: string,
  fleet: Fleet | undefined,
  active: boolean,
): FleetApplyState {
  const api = useApi(istioRolloutsApiRef);
  const [plan, setPlan] = useState<FleetPlan>();
  const [order, setOrder] = useState<FleetTarget[]>([]);
  const [dryRuns, setDryRuns] = useState<Record<string, FleetDryRun>>({});
  const [steps, setSteps] = useState<Record<string, FleetStep>>({});
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] =
    useState<FleetOutcome<FleetTarget, RolloutActionResponse>>();

  // Plan from the rollouts as they are when the user asks, not at every
  // refresh of the page: the dry runs are of those resourceVersions.
  const latest = useRef({ intent, fleet, actionLabel });
  latest.current = { intent, fleet, actionLabel };
  const replan = useCallback((previous: FleetTarget[]) => {
    const { intent: asked, fleet: page, actionLabel: label } = latest.current;
    const next =
      asked && page
        ? planFleet(asked, page.rollouts, page.clusterOrder, label)
        : undefined;
    setPlan(next);
    setOrder(keepOrder(next?.targets ?? [], previous));
    // No answer of an earlier plan may count for this one.
    setDryRuns({});
    setSteps({});
    setOutcome(undefined);
  }, []);

  // An equal request handed on by a refresh of the page is the same request.
  const request = JSON.stringify(intent ?? null);
  useEffect(() => {
    if (active) replan([]);
    else setPlan(undefined);
  }, [active, request, replan]);

  useEffect(() => {
    if (!plan) return undefined;
    let cancelled = false;
    setDryRuns(
      Object.fromEntries(
        plan.targets.map(t => [t.cluster, { state: 'loading' }]),
      ),
    );
    const settle = (cluster: string, dryRun: FleetDryRun) => {
      if (!cancelled) setDryRuns(d => ({ ...d, [cluster]: dryRun }));
    };
    plan.targets.forEach(target =>
      api
        .runAction(entityRef, { ...target.request, dryRun: true })
        .then(response => settle(target.cluster, { state: 'ready', response }))
        .catch(error => settle(target.cluster, { state: 'error', error })),
    );
    return () => {
      cancelled = true;
    };
    // entityRef is the page's; the plan is what changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, plan]);

  const toApply = included(order, dryRuns);
  const settled = order.every(
    t => dryRuns[t.cluster] && dryRuns[t.cluster].state !== 'loading',
  );
  const leftOut = [
    ...order.filter(t => !toApply.includes(t)).map(t => t.cluster),
    ...(plan?.skipped.map(s => s.cluster) ?? []),
  ];

  const verdicts: Record<string, CanaryVerdict | undefined> =
    intent?.action === 'promote' && fleet?.verdictOf
      ? Object.fromEntries(
          order.map(t => [t.cluster, fleet.verdictOf!(t.rollout, t.route)]),
        )
      : {};
  const failing = failingCanaries(toApply, verdicts);

  const apply = async (reason: string) => {
    setRunning(true);
    setSteps({});
    try {
      const result = await applyInOrder(
        toApply,
        target =>
          api.runAction(entityRef, {
            ...target.request,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          }),
        (target, step) => {
          setSteps(s => ({ ...s, [target.cluster]: step }));
          // The page shows each cluster's change as soon as it is made.
          if (step.status === 'applied') {
            latest.current.fleet?.onChanged(step.response);
          }
        },
      );
      setOutcome(result);
    } finally {
      setRunning(false);
    }
  };

  return {
    plan,
    order,
    dryRuns,
    steps,
    included: toApply,
    leftOut,
    settled,
    running,
    outcome,
    verdicts,
    failing,
    move: (cluster, by) =>
      setOrder(o =>
        moveItem(
          o,
          o.findIndex(t => t.cluster === cluster),
          by,
        ),
      ),
    previewAgain: () => replan(order),
    apply,
  };
}
