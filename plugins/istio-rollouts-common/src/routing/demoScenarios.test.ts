/**
 * The demo scenarios of DESIGN.md, read from the real manifests in examples/clusters, asserting what the
 * Rollouts tab must show for each entity.
 */
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  buildRollouts,
  ClusterObjects,
  RolloutReadModel,
} from './buildRollouts';
import { KubeObject, labelsOf, namespaceOf } from './kube';

const CLUSTERS_DIR = path.resolve(__dirname, '../../../../examples/clusters');

function loadCluster(cluster: string): KubeObject[] {
  const dir = path.join(CLUSTERS_DIR, cluster);
  return fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.yaml'))
    .sort()
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(
        doc => doc.toJS() as KubeObject | null,
      ),
    )
    .filter((o): o is KubeObject => !!o && typeof o === 'object');
}

/** What the backend lists for an entity: objects labelled `backstage.io/kubernetes-id=<entity>`. */
function objectsFor(cluster: string, entity?: string): ClusterObjects {
  const all = loadCluster(cluster);
  const selected = all.filter(
    o =>
      o.kind !== 'Namespace' &&
      (entity === undefined ||
        labelsOf(o)['backstage.io/kubernetes-id'] === entity),
  );
  const ofKind = (kind: string) => selected.filter(o => o.kind === kind);
  const namespaces = new Set(selected.map(namespaceOf));
  return {
    cluster,
    istioVersion: 'v1',
    virtualServices: ofKind('VirtualService'),
    destinationRules: ofKind('DestinationRule'),
    deployments: ofKind('Deployment'),
    services: ofKind('Service'),
    namespaces: all.filter(
      o => o.kind === 'Namespace' && namespaces.has(o.metadata?.name ?? ''),
    ),
  };
}

function only(cluster: string, entity: string): RolloutReadModel {
  const rollouts = buildRollouts(objectsFor(cluster, entity));
  expect(rollouts).toHaveLength(1);
  return rollouts[0];
}

/** The routes as parsed and offered; their state is asserted apart, in words. */
const withoutState = (r: RolloutReadModel) =>
  r.routes.map(({ state: _state, ...route }) => route);

/** A route's state as the tab shows it: the chip and the buttons. */
const shown = (r: RolloutReadModel) =>
  r.routes.map(route => ({
    label: route.state.label,
    next: route.state.next.map(n => n.label),
  }));

const subsetSummary = (r: RolloutReadModel) =>
  r.subsets.map(s => ({
    name: s.name,
    live: s.live,
    workloads: s.workloads.map(
      w => `${w.name} ${w.readyReplicas}/${w.replicas} ${w.images.join(',')}`,
    ),
  }));

describe('demo scenarios', () => {
  it('reviews in demo-east: an active canary v1 50 / v2 50, v3 staged with ready pods', () => {
    const r = only('demo-east', 'reviews');
    expect(r).toMatchObject({
      id: 'demo-east/bookinfo/reviews',
      apiVersion: 'networking.istio.io/v1',
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      phase: 'canary',
      stableSubset: 'v1',
      candidateSubset: 'v2',
      meshRevision: 'default',
      findings: [],
    });
    expect(r.owner).toBeUndefined();
    expect(withoutState(r)).toEqual([
      {
        kind: 'http',
        index: 0,
        name: 'reviews-route',
        match: 'prefix /reviews',
        destinations: [
          { host: 'reviews', subset: 'v1', port: 9080, weight: 50 },
          { host: 'reviews', subset: 'v2', port: 9080, weight: 50 },
        ],
        offers: {
          setWeights: { keys: ['v1', 'v2'] },
          promote: { subset: 'v2' },
          rollback: { subset: 'v1', source: 'readModel' },
          startCanary: { subsets: ['v3'] },
        },
      },
    ]);
    expect(shown(r)).toEqual([
      {
        label: 'canary 50%',
        next: ['Set weights', 'Promote v2', 'Roll back to v1', 'Start canary'],
      },
    ]);
    expect(subsetSummary(r)).toEqual([
      {
        name: 'v1',
        live: true,
        workloads: [
          'reviews-v1 3/3 docker.io/istio/examples-bookinfo-reviews-v1:1.20.3',
        ],
      },
      {
        name: 'v2',
        live: true,
        workloads: [
          'reviews-v2 3/3 docker.io/istio/examples-bookinfo-reviews-v2:1.20.3',
        ],
      },
      {
        name: 'v3',
        live: false,
        workloads: [
          'reviews-v3 2/2 docker.io/istio/examples-bookinfo-reviews-v3:1.20.3',
        ],
      },
    ]);
  });

  it('reviews in demo-west: a different split (80/20) on mesh revision 1-24', () => {
    const r = only('demo-west', 'reviews');
    expect(r).toMatchObject({
      id: 'demo-west/bookinfo/reviews',
      phase: 'canary',
      stableSubset: 'v1',
      candidateSubset: 'v2',
      meshRevision: '1-24',
      findings: [],
    });
    expect(r.routes[0].destinations.map(d => [d.subset, d.weight])).toEqual([
      ['v1', 80],
      ['v2', 20],
    ]);
    expect(
      subsetSummary(r).map(s => [s.name, s.live, s.workloads.length]),
    ).toEqual([
      ['v1', true, 1],
      ['v2', true, 1],
      ['v3', false, 1],
    ]);
  });

  it('web-service: blue live at 100, idle green ready at 0 % (weights, not a header pair)', () => {
    const r = only('demo-east', 'web-service');
    expect(r).toMatchObject({
      id: 'demo-east/default/web-service',
      hosts: ['web-service'],
      gateways: [],
      phase: 'stable',
      stableSubset: 'blue',
      candidateSubset: 'green',
      meshRevision: 'default',
      findings: [],
    });
    expect(withoutState(r)).toEqual([
      {
        kind: 'http',
        index: 0,
        name: 'primary',
        match: 'default',
        destinations: [
          { host: 'web-service', subset: 'blue', port: 80, weight: 100 },
          { host: 'web-service', subset: 'green', port: 80, weight: 0 },
        ],
        // Blue has all the traffic already: nothing to roll back; every subset is in the route already.
        offers: {
          setWeights: { keys: ['blue', 'green'] },
          promote: { subset: 'green' },
          startCanary: { subsets: [] },
        },
      },
    ]);
    expect(shown(r)).toEqual([
      { label: 'stable — green at 0%', next: ['Set weights', 'Promote green'] },
    ]);
    expect(subsetSummary(r)).toEqual([
      {
        name: 'blue',
        live: true,
        workloads: ['web-deployment-v1 3/3 ghcr.io/acme/web-service:1.0.0'],
      },
      {
        name: 'green',
        live: false,
        workloads: ['web-deployment-v2 3/3 ghcr.io/acme/web-service:2.0.0'],
      },
    ]);
  });

  it('foobar: a canary at 30 % on subsets labelled by revision, FQDN hosts', () => {
    const r = only('demo-east', 'foobar');
    expect(r).toMatchObject({
      id: 'demo-east/foobar/foobar',
      hosts: ['foobar.foobar.svc.cluster.local'],
      phase: 'canary',
      stableSubset: 'latest',
      candidateSubset: 'v2',
      // The namespace's control-plane revision, reported apart from the application canary.
      meshRevision: 'canary',
      findings: [],
    });
    expect(r.routes[0]).toMatchObject({
      name: 'foobar-canary',
      match: 'default',
    });
    expect(r.routes[0].destinations).toEqual([
      { host: 'foobar.foobar.svc.cluster.local', subset: 'latest', weight: 70 },
      { host: 'foobar.foobar.svc.cluster.local', subset: 'v2', weight: 30 },
    ]);
    expect(r.subsets.map(s => [s.name, s.labels, s.host])).toEqual([
      ['latest', { revision: 'latest' }, 'foobar.foobar.svc.cluster.local'],
      ['v2', { revision: 'v2' }, 'foobar.foobar.svc.cluster.local'],
    ]);
    expect(subsetSummary(r).map(s => s.workloads)).toEqual([
      ['foobar-latest 4/4 ghcr.io/acme/foobar:1.4.2'],
      ['foobar-v2 2/2 ghcr.io/acme/foobar:2.0.0'],
    ]);
  });

  it('gorilla-sfx-demo: blue live, green reachable by header x-deploy = green, port 9090', () => {
    const r = only('demo-east', 'gorilla-sfx-demo');
    expect(r).toMatchObject({
      phase: 'blue-green',
      stableSubset: 'blue',
      candidateSubset: 'green',
    });
    // Applied by Argo CD from the demo's Git repository (GitOps mode, examples/gitops).
    expect(r.findings.map(f => f.code)).toEqual(['TRACKED_BY_GITOPS']);
    expect(withoutState(r)).toEqual([
      {
        kind: 'http',
        index: 0,
        name: 'green-by-header',
        match: 'header x-deploy = green',
        matchedHeaders: ['x-deploy'],
        destinations: [
          {
            host: 'gorilla-sfx-demo',
            subset: 'green',
            port: 9090,
            weight: 100,
          },
        ],
        // A header route takes no canary; the pair is switched through its default route.
        offers: {},
      },
      {
        kind: 'http',
        index: 1,
        name: 'default',
        match: 'default',
        destinations: [
          { host: 'gorilla-sfx-demo', subset: 'blue', port: 9090, weight: 100 },
        ],
        offers: {
          // Either side of a blue/green pair is not a place for a canary.
          switch: {
            headerRoute: 0,
            defaultRoute: 1,
            live: 'blue',
            idle: 'green',
          },
        },
      },
    ]);
    expect(shown(r)).toEqual([
      { label: 'blue-green (header)', next: [] },
      { label: 'blue-green (header)', next: ['Switch to green'] },
    ]);
    expect(subsetSummary(r)).toEqual([
      {
        name: 'blue',
        live: true,
        workloads: [
          'gorilla-sfx-demo-blue 2/2 ghcr.io/acme/gorilla-sfx-demo:3.2.0',
        ],
      },
      {
        name: 'green',
        live: true,
        workloads: [
          'gorilla-sfx-demo-green 2/2 ghcr.io/acme/gorilla-sfx-demo:3.3.0',
        ],
      },
    ]);
  });

  it.each(['demo-east', 'demo-west'])(
    'ratings in %s: stable, one destination at 100, nothing to do',
    cluster => {
      const r = only(cluster, 'ratings');
      expect(r).toMatchObject({
        phase: 'stable',
        stableSubset: 'v1',
        findings: [],
      });
      expect(r.candidateSubset).toBeUndefined();
      expect(withoutState(r)).toEqual([
        {
          kind: 'http',
          index: 0,
          match: 'default',
          destinations: [{ host: 'ratings', subset: 'v1', weight: 100 }],
          // The only subset is in the route: no canary to start.
          offers: { startCanary: { subsets: [] } },
        },
      ]);
      expect(shown(r)).toEqual([{ label: 'stable', next: [] }]);
      expect(subsetSummary(r)).toEqual([
        {
          name: 'v1',
          live: true,
          workloads: [
            'ratings-v1 2/2 docker.io/istio/examples-bookinfo-ratings-v1:1.20.3',
          ],
        },
      ]);
    },
  );

  it('details: no Istio objects, so no rollouts', () => {
    expect(buildRollouts(objectsFor('demo-east', 'details'))).toEqual([]);
  });

  it('reading a whole demo cluster at once mixes nothing up and finds only that Argo CD tracks gorilla-sfx-demo', () => {
    const rollouts = buildRollouts(objectsFor('demo-east'));
    expect(rollouts.map(r => [r.id, r.phase])).toEqual([
      ['demo-east/bookinfo/ratings', 'stable'],
      ['demo-east/bookinfo/reviews', 'canary'],
      ['demo-east/default/gorilla-sfx-demo', 'blue-green'],
      ['demo-east/default/web-service', 'stable'],
      ['demo-east/foobar/foobar', 'canary'],
    ]);
    // Only that gorilla-sfx-demo is Argo CD's (GitOps mode in the demo).
    expect(rollouts.flatMap(r => r.findings.map(f => [r.id, f.code]))).toEqual([
      ['demo-east/default/gorilla-sfx-demo', 'TRACKED_BY_GITOPS'],
    ]);
    // `version: v1` alone matches reviews-v1, ratings-v1 and details-v1: the Service selector keeps them apart.
    const ratings = rollouts[0];
    expect(ratings.subsets[0].workloads.map(w => w.name)).toEqual([
      'ratings-v1',
    ]);
  });
});
