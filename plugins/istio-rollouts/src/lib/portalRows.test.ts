import {
  gorillaRows,
  portalResponse,
  portalWestDown,
  reviewsEastRow,
} from '../__fixtures__/portal';
import {
  portalHealth,
  portalHealthWestNotConfigured,
  portalHealthWestUnavailable,
} from '../__fixtures__/portalHealth';
import {
  clustersWithoutHealth,
  compactSplit,
  compareHealth,
  entityName,
  ownerName,
  portalTableRows,
  staleVirtualServices,
  withHealth,
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

describe('withHealth', () => {
  const rows = portalTableRows(portalResponse.rows, portalResponse.clusters);
  /** Each row's id with its Health filter value and why it has no verdict. */
  const summary = (joined: ReturnType<typeof withHealth>) =>
    joined.map(r => [r.id, r.health, r.verdict?.summary ?? r.noVerdict]);

  it('joins each verdict to its row by rollout, route kind and index', () => {
    expect(summary(withHealth(rows, portalHealth, false))).toEqual([
      [
        'demo-east/default/gorilla-sfx-demo/http[0]',
        'not enough traffic',
        'not enough traffic: 3 of 50 requests',
      ],
      [
        'demo-east/default/gorilla-sfx-demo/http[1]',
        'no verdict',
        'no canary and stable subset to compare',
      ],
      [
        'demo-east/bookinfo/reviews/http[0]',
        'failing',
        'failing: 4.2 % errors vs 0.3 %',
      ],
      ['demo-west/bookinfo/reviews/http[0]', 'healthy', 'healthy'],
      [
        'demo-west/web/web-service/http[0]',
        'no verdict',
        'no canary and stable subset to compare',
      ],
    ]);
  });

  it('never takes another route’s verdict: same rollout, other kind or index', () => {
    const [verdict] = portalHealth.routes;
    const joined = withHealth(
      rows,
      {
        ...portalHealth,
        routes: [
          { ...verdict, route: { kind: 'tcp', index: 0 } },
          { ...verdict, route: { kind: 'http', index: 2 } },
        ],
      },
      false,
    );
    expect(joined.filter(r => r.verdict)).toEqual([]);
  });

  it('says why a row has no verdict: its cluster’s metrics, the read, or not read yet', () => {
    const west = (answer: Parameters<typeof withHealth>[1], failed = false) =>
      withHealth(rows, answer, failed)
        .filter(r => r.row.cluster === 'demo-west')
        .map(r => [r.health, r.noVerdict]);
    expect(west(portalHealthWestUnavailable)).toEqual([
      ['no verdict', 'metrics unavailable'],
      ['no verdict', 'metrics unavailable'],
    ]);
    expect(west(portalHealthWestNotConfigured)).toEqual([
      ['no verdict', 'no Prometheus for this cluster'],
      ['no verdict', 'no Prometheus for this cluster'],
    ]);
    // No filter value before the first answer: the filter would list a passing state.
    expect(west(undefined)[0]).toEqual([
      undefined,
      'canary health not read yet',
    ]);
    expect(west(undefined, true)[0]).toEqual([
      'no verdict',
      'metrics unavailable',
    ]);
  });

  it('keeps the last verdicts through a failed refresh', () => {
    expect(
      withHealth(rows, portalHealth, true).filter(r => r.verdict),
    ).toHaveLength(3);
  });

  it('reads an answer of another shape as no verdict', () => {
    const joined = withHealth(rows, {} as typeof portalHealth, false);
    expect(joined.every(r => !r.verdict && r.health === 'no verdict')).toBe(
      true,
    );
  });
});

describe('compareHealth', () => {
  it('puts failing canaries first, then unjudged, healthy, and rows without a verdict', () => {
    const rows = withHealth(
      portalTableRows(portalResponse.rows, portalResponse.clusters),
      portalHealth,
      false,
    );
    expect([...rows].sort(compareHealth).map(r => r.id)).toEqual([
      'demo-east/bookinfo/reviews/http[0]',
      'demo-east/default/gorilla-sfx-demo/http[0]',
      'demo-west/bookinfo/reviews/http[0]',
      'demo-east/default/gorilla-sfx-demo/http[1]',
      'demo-west/web/web-service/http[0]',
    ]);
  });
});

describe('clustersWithoutHealth', () => {
  it('names the shown clusters whose metrics are unavailable or not configured', () => {
    expect(
      clustersWithoutHealth(portalHealthWestUnavailable, portalResponse.rows),
    ).toEqual([portalHealthWestUnavailable.clusters[1]]);
    expect(
      clustersWithoutHealth(portalHealthWestNotConfigured, portalResponse.rows),
    ).toEqual([{ name: 'demo-west', status: 'notConfigured' }]);
    expect(clustersWithoutHealth(portalHealth, portalResponse.rows)).toEqual(
      [],
    );
    expect(clustersWithoutHealth(undefined, portalResponse.rows)).toEqual([]);
  });

  it('leaves out a cluster without rows, and one whose rollouts could not be read', () => {
    const eastRows = portalResponse.rows.filter(r => r.cluster === 'demo-east');
    expect(
      clustersWithoutHealth(portalHealthWestUnavailable, eastRows),
    ).toEqual([]);
    expect(
      clustersWithoutHealth(
        {
          ...portalHealth,
          clusters: [
            {
              name: 'demo-west',
              status: 'unavailable',
              error: {
                reason: 'ClusterUnavailable',
                message: 'Cluster "demo-west" could not be read (Timeout)',
              },
            },
          ],
        },
        portalResponse.rows,
      ),
    ).toEqual([]);
  });
});
