import { BENCH_OBJECTS_PER_KIND, KUBERNETES_ID_LABEL } from './manifests';
import {
  BLUE_GREEN_EVERY,
  portalCatalogDocs,
  portalEntityCount,
  portalEntityId,
  portalEntityObjects,
  portalRowsOf,
  releaseState,
} from './portal';
import { catalogYaml, portalExpectation, scenarioManifests } from './scenario';

type Obj = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
};

const items = (json: string): Obj[] => JSON.parse(json).items;
const virtualServices = (objs: unknown[]) =>
  (objs as Obj[]).filter(o => o.kind === 'VirtualService');

describe('portalEntityCount', () => {
  it('is the issue’s 500 at scale, and half of what is left when M is small', () => {
    expect(portalEntityCount(5000)).toBe(500);
    expect(portalEntityCount(2000)).toBe(500);
    expect(portalEntityCount(100)).toBe(48);
    expect(portalEntityCount(BENCH_OBJECTS_PER_KIND)).toBe(0);
  });
});

describe('releaseState', () => {
  it('puts 8 % of (entity, cluster) pairs mid-release, 40 of 500 entities in every cluster', () => {
    let releasing = 0;
    for (let c = 0; c < 20; c++) {
      let here = 0;
      for (let i = 0; i < 500; i++) {
        if (releaseState(i, c).phase !== 'stable') here++;
      }
      expect(here).toBe(40);
      releasing += here;
    }
    expect(releasing / (500 * 20)).toBe(0.08);
  });

  it('releases one entity in five blue/green, the others by canary', () => {
    const releases = Array.from({ length: 100 }, (_, i) =>
      Array.from({ length: 20 }, (__, c) => ({ i, s: releaseState(i, c) })),
    )
      .flat()
      .filter(({ s }) => s.phase !== 'stable');
    expect(
      releases.filter(
        ({ i, s }) =>
          s.phase !== (i % BLUE_GREEN_EVERY === 0 ? 'blue-green' : 'canary'),
      ),
    ).toEqual([]);
    const weights = releases.flatMap(({ s }) =>
      s.phase === 'canary' ? [s.weight] : [],
    );
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.filter(w => !(w > 0 && w < 100))).toEqual([]);
  });
});

describe('portalEntityObjects', () => {
  const objs = portalEntityObjects(3, 60) as Obj[];

  it('gives each entity one VirtualService, DestinationRule and Deployment with its kubernetes-id', () => {
    for (const kind of ['VirtualService', 'DestinationRule', 'Deployment']) {
      const ofKind = objs.filter(o => o.kind === kind);
      expect(ofKind.map(o => o.metadata.labels?.[KUBERNETES_ID_LABEL])).toEqual(
        Array.from({ length: 60 }, (_, i) => portalEntityId(i)),
      );
    }
  });

  it('routes only to subsets the entity’s DestinationRule defines', () => {
    const subsets = new Map(
      objs
        .filter(o => o.kind === 'DestinationRule')
        .map(o => [o.spec.host, o.spec.subsets.map((s: any) => s.name)]),
    );
    for (const vs of virtualServices(objs)) {
      for (const route of vs.spec.http) {
        expect(route.route.reduce((n: number, d: any) => n + d.weight, 0)).toBe(
          100,
        );
        for (const d of route.route) {
          expect(subsets.get(d.destination.host)).toContain(
            d.destination.subset,
          );
        }
      }
    }
  });

  it('writes each entity’s VirtualService in its release state there', () => {
    for (const vs of virtualServices(objs)) {
      const i = Number(vs.metadata.name.slice('svc-'.length));
      const expected = {
        stable: [],
        canary: ['canary'],
        'blue-green': ['blue-green', 'blue-green'],
      }[releaseState(i, 3).phase];
      expect(portalRowsOf(vs)).toEqual(expected);
    }
  });
});

describe('portalRowsOf', () => {
  const route = (weights: Array<[string, number]>, extra = {}) => ({
    ...extra,
    route: weights.map(([subset, weight]) => ({
      destination: { host: 'h', subset },
      weight,
    })),
  });
  const vs = (...http: object[]) => ({ spec: { http } });
  const byHeader = { match: [{ headers: { 'x-deploy': { exact: 'g' } } }] };

  it('lists a route with traffic on two subsets as a canary', () => {
    expect(
      portalRowsOf(
        vs(
          route([
            ['v1', 90],
            ['v2', 10],
          ]),
        ),
      ),
    ).toEqual(['canary']);
    expect(
      portalRowsOf(
        vs(
          route([
            ['v1', 100],
            ['v2', 0],
          ]),
        ),
      ),
    ).toEqual([]);
    expect(portalRowsOf(vs(route([['v1', 100]])))).toEqual([]);
  });

  it('lists both routes of a header pair as blue/green, and nothing for one to the same subset', () => {
    expect(
      portalRowsOf(vs(route([['g', 100]], byHeader), route([['b', 100]]))),
    ).toEqual(['blue-green', 'blue-green']);
    expect(
      portalRowsOf(vs(route([['b', 100]], byHeader), route([['b', 100]]))),
    ).toEqual([]);
    expect(
      portalRowsOf(
        vs(route([['g', 100]], { match: [{ uri: {} }] }), route([['b', 100]])),
      ),
    ).toEqual([]);
  });
});

describe('portalExpectation', () => {
  it('counts the issue’s scenario: 500 entities, 8 % mid-release, and the measured entity’s canaries', () => {
    const e = portalExpectation({ clusters: 20, objectsPerKind: 5000 });
    // 800 releasing (entity, cluster) pairs: 640 canaries and 160
    // blue/green pairs (2 rows each); the measured entity's 3 × 20 canaries.
    expect(e).toEqual({
      clusters: 20,
      entities: 500,
      rows: 1020,
      byPhase: { canary: 640 + 60, 'blue-green': 320 },
    });
  });

  it('counts the UI entity’s canaries when it is there', () => {
    const without = portalExpectation({ clusters: 3, objectsPerKind: 100 });
    const withUi = portalExpectation({
      clusters: 3,
      objectsPerKind: 100,
      uiVirtualServices: 10,
    });
    expect(withUi.rows - without.rows).toBe(10);
    expect(without.entities).toBe(48);
  });

  it('counts what the manifests hold', () => {
    const options = { clusters: 4, objectsPerKind: 200 };
    const m = scenarioManifests(options);
    const rows = [...m.perCluster.map(items), items(m.others)]
      .flatMap(virtualServices)
      .filter(o => o.metadata.labels?.[KUBERNETES_ID_LABEL])
      .flatMap(o => portalRowsOf(o));
    expect(rows).toHaveLength(portalExpectation(options).rows);
  });
});

describe('the portal entities in the catalog', () => {
  it('claims each entity’s objects by its kubernetes-id, owned by its namespace’s team', () => {
    const docs = catalogYaml({ portalEntities: 30 })
      .split('\n---\n')
      .map(d => JSON.parse(d));
    const components = docs.filter(
      d => d.kind === 'Component' && d.metadata.name.startsWith('svc-'),
    );
    expect(components).toHaveLength(30);
    const groups = new Set(
      docs
        .filter(d => d.kind === 'Group')
        .map(d => `group:default/${d.metadata.name}`),
    );
    const objs = portalEntityObjects(0, 30) as Obj[];
    for (const c of components) {
      const id = c.metadata.annotations[KUBERNETES_ID_LABEL];
      expect(id).toBe(c.metadata.name);
      expect(groups.has(c.spec.owner)).toBe(true);
      const vs = virtualServices(objs).find(
        o => o.metadata.labels?.[KUBERNETES_ID_LABEL] === id,
      )!;
      expect(c.spec.owner).toBe(`group:default/${vs.metadata.namespace}`);
    }
    expect(portalCatalogDocs(0)).toEqual([]);
  });

  it('keeps the catalog file small', () => {
    expect(catalogYaml({ portalEntities: 500 }).length).toBeLessThan(150_000);
  });
});
