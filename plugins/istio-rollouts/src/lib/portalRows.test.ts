import {
  gorillaRows,
  portalResponse,
  portalWestDown,
  reviewsEastRow,
} from '../__fixtures__/portal';
import {
  compactSplit,
  entityName,
  ownerName,
  portalTableRows,
  staleVirtualServices,
} from './portalRows';

describe('entityName', () => {
  it.each([
    [{ ref: 'component:default/reviews' }, 'reviews'],
    [{ ref: 'component:default/reviews', title: 'Reviews' }, 'Reviews'],
    [{ ref: 'api:default/payments' }, 'api:payments'],
    [{ ref: 'component:shop/cart' }, 'shop/cart'],
    [{ ref: 'not a ref:' }, 'not a ref:'],
  ])('names %j as %s', (entity, name) => {
    expect(entityName(entity)).toBe(name);
  });
});

describe('ownerName', () => {
  it.each([
    ['group:default/team-bookinfo', 'team-bookinfo'],
    ['user:default/jane', 'user:jane'],
    ['group:platform/sre', 'platform/sre'],
  ])('names %s as %s', (owner, name) => {
    expect(ownerName(owner)).toBe(name);
  });
});

describe('compactSplit', () => {
  it.each([
    [[], 'no destination'],
    [
      [
        { subset: 'v1', weight: 90 },
        { subset: 'v2', weight: 10 },
      ],
      'v1 90% · v2 10%',
    ],
    // Istio reads weights that don't add up to 100 as shares.
    [
      [
        { subset: 'v1', weight: 1 },
        { subset: 'v2', weight: 3 },
      ],
      'v1 25% · v2 75%',
    ],
    [
      [
        { subset: 'blue', weight: 100 },
        { subset: 'green', weight: 0 },
      ],
      'blue 100% · green 0%',
    ],
  ])('writes %j as %s', (split, text) => {
    expect(compactSplit(split)).toBe(text);
  });
});

describe('portalTableRows', () => {
  it('orders rows by entity, cluster, namespace and route, each with a unique id', () => {
    const rows = portalTableRows(
      [...portalResponse.rows].reverse(),
      portalResponse.clusters,
    );
    expect(rows.map(r => r.id)).toEqual([
      'demo-east/default/gorilla-sfx-demo/http[0]',
      'demo-east/default/gorilla-sfx-demo/http[1]',
      'demo-east/bookinfo/reviews/http[0]',
      'demo-west/bookinfo/reviews/http[0]',
      'demo-west/web/web-service/http[0]',
    ]);
  });

  it('names the cluster by its title, and each owner once', () => {
    const [row] = portalTableRows(
      [
        {
          ...reviewsEastRow,
          entities: [
            ...reviewsEastRow.entities,
            {
              ref: 'component:default/reviews-v2',
              owner: 'group:default/team-bookinfo',
            },
            { ref: 'component:default/reviews-v3' },
          ],
        },
      ],
      [{ name: 'demo-east', title: 'East (prod)', status: 'ok' }],
    );
    expect(row).toMatchObject({
      cluster: 'East (prod)',
      entityNames: 'reviews, reviews-v2, reviews-v3',
      owners: ['team-bookinfo'],
      route: 'http[0] reviews-route',
      phase: 'canary',
      label: 'canary 50%',
      split: 'v1 50% · v2 50% · v3 0%',
      plan: 'plan #12 · step 6/8 · 50 %',
      stale: false,
    });
  });

  it('leaves out the plan of a route without one', () => {
    const [row] = portalTableRows(gorillaRows, portalResponse.clusters);
    expect(row.plan).toBeUndefined();
    expect(row).not.toHaveProperty('plan');
  });
});

describe('staleVirtualServices', () => {
  it('counts each cluster’s last-known VirtualServices, not its routes', () => {
    const rows = [
      ...portalWestDown.rows,
      { ...portalWestDown.rows[1], route: { kind: 'http' as const, index: 1 } },
    ];
    expect(staleVirtualServices(rows)).toEqual(new Map([['demo-west', 2]]));
    expect(staleVirtualServices(portalResponse.rows).size).toBe(0);
  });
});
