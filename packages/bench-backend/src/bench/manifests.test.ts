import {
  BENCH_ENTITY,
  BENCH_OBJECTS_PER_KIND,
  KUBERNETES_ID_LABEL,
  spreadOver,
  UI_ENTITY,
} from './manifests';
import { catalogYaml, scenarioManifests } from './scenario';

type Obj = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: any;
};

function items(json: string): Obj[] {
  const list = JSON.parse(json);
  expect(list.kind).toBe('List');
  return list.items;
}

const count = (objs: Obj[], kind: string, id?: string) =>
  objs.filter(
    o =>
      o.kind === kind &&
      (id === undefined || o.metadata.labels?.[KUBERNETES_ID_LABEL] === id),
  ).length;

describe('scenarioManifests', () => {
  it('gives every cluster M objects per kind, 3 of them the measured entity’s', () => {
    const m = scenarioManifests({ clusters: 3, objectsPerKind: 100 });
    expect(m.perCluster).toHaveLength(3);
    const others = items(m.others);
    for (const own of m.perCluster.map(items)) {
      const all = [...others, ...own];
      for (const kind of ['VirtualService', 'DestinationRule', 'Deployment']) {
        expect(count(all, kind)).toBe(100);
        expect(count(all, kind, BENCH_ENTITY)).toBe(BENCH_OBJECTS_PER_KIND);
      }
      expect(count(own, 'Service', BENCH_ENTITY)).toBe(BENCH_OBJECTS_PER_KIND);
    }
  });

  it('labels no object of the other workloads with a kubernetes-id', () => {
    const others = items(
      scenarioManifests({ clusters: 1, objectsPerKind: 50 }).others,
    );
    const workloads = others.filter(o => o.kind !== 'Namespace');
    // 50 - 3 (measured entity) - 23 (portal entities) = 24 each of 3 kinds.
    expect(workloads).toHaveLength(72);
    expect(new Set(workloads.map(o => o.metadata.labels?.app)).size).toBe(24);
    for (const o of workloads) {
      expect(o.metadata.labels?.[KUBERNETES_ID_LABEL]).toBeUndefined();
    }
  });

  it('gives unique names per kind and namespace', () => {
    const m = scenarioManifests({
      clusters: 2,
      objectsPerKind: 500,
      uiVirtualServices: 10,
    });
    const all = [...items(m.others), ...items(m.perCluster[0])];
    const keys = all.map(
      o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
    );
    // Namespaces are repeated on purpose (each file declares its own).
    const nonNamespace = keys.filter(k => !k.startsWith('Namespace/'));
    expect(new Set(nonNamespace).size).toBe(nonNamespace.length);
  });

  it('routes the measured entity’s VirtualServices to subsets its DestinationRules define', () => {
    const own = items(
      scenarioManifests({ clusters: 1, objectsPerKind: 3 }).perCluster[0],
    );
    const subsets = new Map(
      own
        .filter(o => o.kind === 'DestinationRule')
        .map(o => [o.spec.host, o.spec.subsets.map((s: any) => s.name)]),
    );
    for (const vs of own.filter(o => o.kind === 'VirtualService')) {
      const route = vs.spec.http[0].route;
      expect(route.reduce((n: number, d: any) => n + d.weight, 0)).toBe(100);
      for (const d of route) {
        expect(subsets.get(d.destination.host)).toContain(d.destination.subset);
      }
    }
  });

  it('spreads the UI entity’s 10 VirtualServices over the clusters', () => {
    const m = scenarioManifests({
      clusters: 3,
      objectsPerKind: 100,
      uiVirtualServices: 10,
    });
    const perCluster = m.perCluster.map(t =>
      count(items(t), 'VirtualService', UI_ENTITY),
    );
    expect(perCluster).toEqual([4, 3, 3]);
  });

  it('refuses scenarios it cannot build', () => {
    expect(() =>
      scenarioManifests({ clusters: 0, objectsPerKind: 100 }),
    ).toThrow();
    expect(() =>
      scenarioManifests({ clusters: 1, objectsPerKind: 2 }),
    ).toThrow();
    expect(() =>
      scenarioManifests({
        clusters: 1,
        objectsPerKind: 100,
        portalEntities: 98,
      }),
    ).toThrow(/portalEntities/);
  });
});

describe('spreadOver', () => {
  it('splits as evenly as possible', () => {
    expect(spreadOver(10, 3)).toEqual([4, 3, 3]);
    expect(spreadOver(10, 20).filter(n => n === 1)).toHaveLength(10);
    expect(spreadOver(0, 2)).toEqual([0, 0]);
  });
});

describe('catalogYaml', () => {
  it('declares the guest, its team and the two entities with their kubernetes-id', () => {
    const docs = catalogYaml()
      .split('\n---\n')
      .map(d => JSON.parse(d));
    expect(docs.map(d => `${d.kind}:${d.metadata.name}`)).toEqual([
      'Group:team-bench',
      'User:guest',
      `Component:${BENCH_ENTITY}`,
      `Component:${UI_ENTITY}`,
    ]);
    expect(docs[2].metadata.annotations[KUBERNETES_ID_LABEL]).toBe(
      BENCH_ENTITY,
    );
    expect(docs[2].spec.owner).toBe('group:default/team-bench');
  });
});
