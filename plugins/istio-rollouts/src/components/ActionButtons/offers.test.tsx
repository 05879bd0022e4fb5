/**
 * The buttons follow the server's offers, for every route of every demo scenario and fixture: the enabled buttons
 * are exactly the actions the read model offers on the route that the caller may take (`allowedActions`), and
 * each button names what the offer says it would do. The demo routes are read by common's `buildRollouts`, as
 * the backend reads them.
 */
import {
  buildRollouts,
  ClusterObjects,
  KubeObject,
  offeredActions,
  Rollout,
  ROLLOUT_ACTIONS,
  RolloutAction,
  RolloutReadModel,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import { render, screen, within } from '@testing-library/react';
// The demo scenarios are the repository's manifests, read from disk.
// eslint-disable-next-line no-restricted-imports
import fs from 'fs';
// eslint-disable-next-line no-restricted-imports
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../../__fixtures__/rollouts';
import { offeredSwitches } from '../../lib/actions';
import { ActionButtons, SwitchButton } from './ActionButtons';

const CLUSTERS = path.resolve(__dirname, '../../../../../examples/clusters');
const ENTITY_LABEL = 'backstage.io/kubernetes-id';

function manifests(cluster: string): KubeObject[] {
  const dir = path.join(CLUSTERS, cluster);
  return fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.yaml'))
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(
        doc => doc.toJS() as KubeObject | null,
      ),
    )
    .filter((o): o is KubeObject => Boolean(o));
}

/** What the backend lists for one entity in one cluster: the objects with its label. */
function objectsOf(
  cluster: string,
  all: KubeObject[],
  entity: string,
): ClusterObjects {
  const selected = all.filter(
    o => o.metadata?.labels?.[ENTITY_LABEL] === entity,
  );
  const ofKind = (kind: string) => selected.filter(o => o.kind === kind);
  return {
    cluster,
    istioVersion: 'v1',
    virtualServices: ofKind('VirtualService'),
    destinationRules: ofKind('DestinationRule'),
    deployments: ofKind('Deployment'),
    services: ofKind('Service'),
    namespaces: all.filter(o => o.kind === 'Namespace'),
  };
}

function demoRollouts(): RolloutReadModel[] {
  return ['demo-east', 'demo-west'].flatMap(cluster => {
    const all = manifests(cluster);
    const entities = new Set(
      all.flatMap(o => o.metadata?.labels?.[ENTITY_LABEL] ?? []),
    );
    return [...entities].flatMap(entity =>
      buildRollouts(objectsOf(cluster, all, entity)),
    );
  });
}

const to = (subset: string, weight?: number) => ({
  destination: { host: 'shop', subset },
  ...(weight === undefined ? {} : { weight }),
});
const byHeader = (value: string) => [
  { headers: { 'x-deploy': { exact: value } } },
];

/** `shop` with the given http routes and subsets v1, v2, v3: shapes no demo has. */
function shopRollout(http: unknown[]): RolloutReadModel {
  return buildRollouts({
    cluster: 'test',
    istioVersion: 'v1',
    virtualServices: [
      {
        kind: 'VirtualService',
        metadata: { name: 'shop', namespace: 'shop', resourceVersion: '1' },
        spec: { hosts: ['shop'], http },
      },
    ],
    destinationRules: [
      {
        kind: 'DestinationRule',
        metadata: { name: 'shop', namespace: 'shop' },
        spec: {
          host: 'shop',
          subsets: ['v1', 'v2', 'v3'].map(name => ({
            name,
            labels: { version: name },
          })),
        },
      },
    ],
    deployments: [],
    services: [],
    namespaces: [],
  })[0];
}

const shopRollouts: Array<[string, RolloutReadModel]> = [
  [
    'header route [v2 100, v1 0]',
    shopRollout([
      { match: byHeader('v2'), route: [to('v2', 100), to('v1', 0)] },
      { route: [to('v1')] },
    ]),
  ],
  [
    'two header routes sharing the default route',
    shopRollout([
      { match: byHeader('v2'), route: [to('v2')] },
      { match: byHeader('v3'), route: [to('v3')] },
      { route: [to('v1')] },
    ]),
  ],
];

const fixtures = [reviewsResponse, gorillaResponse, webServiceResponse].flatMap(
  r => r.rollouts,
);

const PERMISSION_SETS: RolloutAction[][] = [
  [...ROLLOUT_ACTIONS],
  ['setWeights', 'rollback', 'startCanary'],
  ['promote', 'switch'],
];

/** Every route to check, with the allowed actions to check it with. */
const cases: Array<[string, Rollout, Route]> = [
  ...demoRollouts().map(r => [r.id, r] as const),
  ...shopRollouts,
].flatMap(([name, readModel]) =>
  PERMISSION_SETS.flatMap(allowedActions =>
    readModel.routes.map(
      route =>
        [
          `${name} ${route.kind}[${route.index}], may ${
            allowedActions.join('/') || 'nothing'
          }`,
          { ...readModel, allowedActions },
          route,
        ] as [string, Rollout, Route],
    ),
  ),
);
for (const rollout of fixtures) {
  for (const route of rollout.routes) {
    cases.push([
      `fixture ${rollout.id} ${route.kind}[${route.index}]`,
      rollout,
      route,
    ]);
  }
}

/** The action a button stands for, by its label. */
function actionOf(label: string): RolloutAction {
  const byLabel: Array<[RegExp, RolloutAction]> = [
    [/^Set weights$/, 'setWeights'],
    [/^Promote /, 'promote'],
    [/^Roll back to /, 'rollback'],
    [/^Switch to /, 'switch'],
    [/^Start canary$/, 'startCanary'],
  ];
  const found = byLabel.find(([pattern]) => pattern.test(label));
  if (!found) throw new Error(`a button no action stands for: ${label}`);
  return found[1];
}

function renderRoute(rollout: Rollout, route: Route) {
  return render(
    <div>
      <ActionButtons
        rollout={rollout}
        route={route}
        editing={false}
        onEdit={jest.fn()}
        onAction={jest.fn()}
      />
      {offeredSwitches(rollout)
        .filter(s => s.route === route)
        .map(offered => (
          <SwitchButton
            key={offered.route.index}
            rollout={rollout}
            offered={offered}
            onAction={jest.fn()}
          />
        ))}
    </div>,
  );
}

describe('the buttons of a route', () => {
  it.each(cases)(
    '%s: enabled exactly where the server offers and allows',
    (_, rollout, route) => {
      const { container } = renderRoute(rollout, route);
      const buttons = within(container).queryAllByRole('button');
      const enabled = buttons
        .filter(b => !(b as HTMLButtonElement).disabled)
        .map(b => actionOf(b.textContent ?? ''));
      const expected = offeredActions(route.offers).filter(a =>
        rollout.allowedActions.includes(a),
      );
      expect(enabled.sort()).toEqual(expected.sort());

      // Each button says what the offer says it would do.
      const { promote, rollback, switch: pair } = route.offers;
      const named = [
        promote && `Promote ${promote.subset}`,
        rollback && `Roll back to ${rollback.subset}`,
        pair && `Switch to ${pair.idle}`,
      ].filter(Boolean);
      expect(buttons.map(b => b.textContent)).toEqual(
        expect.arrayContaining(named),
      );
    },
  );

  it('offers no switch on a header route [v2 100, v1 0], as the backend would refuse it', () => {
    const [, rollout] = shopRollouts[0];
    expect(rollout.routes.map(r => r.offers.switch)).toEqual([
      undefined,
      undefined,
    ]);
    renderRoute(
      { ...rollout, allowedActions: [...ROLLOUT_ACTIONS] },
      rollout.routes[1],
    );
    expect(screen.queryByRole('button', { name: /Switch/ })).toBeNull();
  });

  it.each(fixtures)(
    'fixture $id offers what the demo’s read model offers',
    fixture => {
      const demo = demoRollouts().find(r => r.id === fixture.id)!;
      // Only where the fixture holds the demo's split (demo-west's reviews is 80/20 in the fixture).
      const sameSplit = fixture.routes.filter(
        (route, i) =>
          JSON.stringify(route.destinations) ===
          JSON.stringify(demo.routes[i].destinations),
      );
      expect(sameSplit.map(r => r.offers)).toEqual(
        sameSplit.map(r => demo.routes[r.index].offers),
      );
    },
  );
});
