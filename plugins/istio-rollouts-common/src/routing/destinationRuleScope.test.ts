import {
  destinationRuleNamespaces,
  destinationRulesInScope,
} from './destinationRuleScope';
import { buildRollouts } from './buildRollouts';
import {
  deployment,
  destinationRule,
  virtualService,
} from './__testUtils__/objects';

const vs = (hosts: string[]) =>
  virtualService('reviews', 'bookinfo', {
    hosts: ['reviews'],
    http: [
      {
        route: hosts.map((host, i) => ({
          destination: { host, subset: `v${i + 1}` },
          weight: i === 0 ? 100 : 0,
        })),
      },
    ],
  });

describe('destinationRuleNamespaces', () => {
  it.each([
    [
      'a short host: only the VirtualService’s namespace',
      ['reviews'],
      ['bookinfo'],
    ],
    [
      'a fully qualified host in another namespace: that namespace too',
      ['reviews', 'ratings.shared.svc.cluster.local'],
      ['bookinfo', 'shared'],
    ],
    ['an external host: nothing more', ['api.example.com'], ['bookinfo']],
  ])('%s', (_, hosts, namespaces) => {
    expect([...destinationRuleNamespaces(vs(hosts))].sort()).toEqual(
      namespaces,
    );
  });
});

describe('destinationRulesInScope', () => {
  it('never takes a labelled DestinationRule from an unrelated namespace', () => {
    const own = destinationRule('reviews', 'bookinfo', 'reviews', { v1: {} });
    const planted = destinationRule(
      'reviews-evil',
      'attacker',
      'reviews.bookinfo.svc.cluster.local',
      { evil: { version: 'evil' } },
    );
    expect(destinationRulesInScope(vs(['reviews']), [own, planted])).toEqual([
      own,
    ]);
  });

  it('keeps the rules of the namespace a fully qualified host names', () => {
    const shared = destinationRule(
      'ratings',
      'shared',
      'ratings.shared.svc.cluster.local',
      { v2: {} },
    );
    expect(
      destinationRulesInScope(
        vs(['reviews', 'ratings.shared.svc.cluster.local']),
        [shared],
      ),
    ).toEqual([shared]);
  });

  it('keeps subsets from a planted rule out of the read model', () => {
    const [rollout] = buildRollouts({
      cluster: 'east',
      istioVersion: 'v1',
      virtualServices: [vs(['reviews'])],
      destinationRules: [
        destinationRule('reviews', 'bookinfo', 'reviews', {
          v1: { version: 'v1' },
        }),
        destinationRule(
          'planted',
          'attacker',
          'reviews.bookinfo.svc.cluster.local',
          { evil: { version: 'evil' } },
        ),
      ],
      deployments: [
        deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }),
      ],
      services: [],
      namespaces: [],
    });
    expect(rollout.subsets.map(s => s.name)).toEqual(['v1']);
  });
});
