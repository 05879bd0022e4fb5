/**
 * The state the tab shows after each core action on the demo's reviews route, planned and applied the way the
 * backend does it: the read model must say what is true after every step, and name the next step by its target.
 */
import { applyObjectPatch } from '../actions/planAction';
import {
  gorilla,
  planOn,
  reviews,
  Scenario,
} from '../actions/__testUtils__/scenarios';
import type { ActionKubeObject } from '../actions/types';
import { buildRollouts } from '../routing/buildRollouts';
import type { KubeObject } from '../routing/kube';

/** A scenario whose VirtualService is the one given. */
const at = (base: Scenario, vs: ActionKubeObject): Scenario => ({
  ...base,
  virtualService: () => structuredClone(vs),
});

function read(scenario: Scenario) {
  const [rollout] = buildRollouts({
    cluster: 'demo-east',
    istioVersion: 'v1',
    virtualServices: [scenario.virtualService() as KubeObject],
    destinationRules: scenario.destinationRules() as KubeObject[],
    deployments: scenario.deployments() as KubeObject[],
    services: [],
    namespaces: [],
  });
  return rollout;
}

/** Plans a request as the tab sends it and applies the patch: the scenario as the cluster then holds it. */
function act(scenario: Scenario, request: object): Scenario {
  const plan = planOn(scenario, { resourceVersion: '101', ...request });
  const vs = plan.patches
    .filter(p => p.kind === 'VirtualService')
    .reduce((o, p) => applyObjectPatch(o, p), scenario.virtualService());
  vs.metadata!.resourceVersion = '101';
  return at(scenario, vs);
}

const shown = (scenario: Scenario, index = 0) => {
  const route = read(scenario).routes[index];
  return {
    chip: route.state.label,
    buttons: route.state.next.map(n => n.label),
    split: route.destinations.map(d => `${d.subset} ${d.weight}`).join(' / '),
  };
};

const route = { kind: 'http', index: 0 };

describe('the state after each action (reviews)', () => {
  it('promote → finish → start canary v3 → promote v3 → finish', () => {
    const canary = reviews;
    expect(shown(canary)).toEqual({
      chip: 'canary 50%',
      buttons: ['Set weights', 'Promote v2', 'Roll back to v1', 'Start canary'],
      split: 'v1 50 / v2 50',
    });

    const promoted = act(canary, { action: 'promote', route, subset: 'v2' });
    // Not "blue-green", and no "Promote v1": v1 is retired, and Finish removes it.
    expect(shown(promoted)).toEqual({
      chip: 'promoted — v1 retired',
      buttons: ['Finish: remove v1', 'Start canary', 'Set weights'],
      split: 'v1 0 / v2 100',
    });

    const finished = act(promoted, { action: 'finish', route });
    expect(shown(finished)).toEqual({
      chip: 'stable',
      buttons: ['Start canary'],
      split: 'v2 100',
    });
    expect(read(finished).routes[0].offers.startCanary).toEqual({
      subsets: ['v1', 'v3'],
    });

    const v3 = act(finished, { action: 'startCanary', route, subset: 'v3' });
    expect(shown(v3)).toEqual({
      chip: 'stable — v3 at 0%',
      buttons: ['Set weights', 'Promote v3', 'Start canary'],
      split: 'v2 100 / v3 0',
    });

    const promotedV3 = act(v3, { action: 'promote', route, subset: 'v3' });
    expect(shown(promotedV3).chip).toBe('promoted — v2 retired');
    expect(shown(act(promotedV3, { action: 'finish', route })).split).toBe(
      'v3 100',
    );
  });

  it('roll back leaves the candidate at 0 %, and a new canary after it retires the old one', () => {
    const rolledBack = act(reviews, {
      action: 'rollback',
      route,
      stableSubset: 'v1',
    });
    expect(shown(rolledBack)).toEqual({
      chip: 'stable — v2 at 0%',
      buttons: ['Set weights', 'Promote v2', 'Start canary'],
      split: 'v1 100 / v2 0',
    });
    const v3 = act(rolledBack, { action: 'startCanary', route, subset: 'v3' });
    expect(shown(v3)).toEqual({
      chip: 'stable — v3 at 0%',
      buttons: ['Set weights', 'Promote v3', 'Finish: remove v2'],
      split: 'v1 100 / v2 0 / v3 0',
    });
  });

  it('switch on gorilla-sfx-demo keeps both routes a blue-green pair, with names that stay true', () => {
    expect([shown(gorilla, 0), shown(gorilla, 1)]).toEqual([
      { chip: 'blue-green (header)', buttons: [], split: 'green 100' },
      {
        chip: 'blue-green (header)',
        buttons: ['Switch to green'],
        split: 'blue 100',
      },
    ]);
    const switched = act(gorilla, { action: 'switch' });
    const rollout = read(switched);
    expect(rollout.routes.map(r => [r.name, r.match])).toEqual([
      ['blue-by-header', 'header x-deploy = blue'],
      ['default', 'default'],
    ]);
    expect(rollout.routes[1].state.next.map(n => n.label)).toEqual([
      'Switch to blue',
    ]);
  });
});
