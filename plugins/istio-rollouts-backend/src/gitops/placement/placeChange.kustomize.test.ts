import type { ActionKubeObject } from '@internal/plugin-istio-rollouts-common';
import { parse } from 'yaml';
import { placeChange } from './placeChange';
import { reviewsKustomize } from './__fixtures__/reviewsKustomize';
import {
  clusterObject,
  memoryReader,
  planOn,
} from './__testUtils__/repository';
import type { PlacedChange, PlacementSource, UnplacedChange } from './types';

type Route = { route: Array<{ weight?: number }> };

/** The cluster's reviews objects as kustomize renders an overlay: the base, with weights and an identity. */
function reviewsCluster(
  weights: [number, number],
  identity: { name?: string; namespace?: string } = {},
) {
  const virtualService = clusterObject(
    reviewsKustomize['base/virtualservice.yaml'],
  );
  const route = (virtualService.spec as { http: Route[] }).http[0].route;
  route[0].weight = weights[0];
  route[1].weight = weights[1];
  const rule = clusterObject(reviewsKustomize['base/destinationrule.yaml']);
  for (const o of [virtualService, rule]) {
    o.metadata = { ...o.metadata, ...identity };
  }
  return { virtualService, destinationRules: [rule] as ActionKubeObject[] };
}

async function place(
  source: PlacementSource,
  cluster = reviewsCluster([80, 20]),
  weights = { v1: 50, v2: 50 },
) {
  const plan = planOn(cluster, {
    action: 'setWeights',
    route: { kind: 'http', name: 'reviews-route' },
    weights,
  });
  return placeChange({
    reader: memoryReader(reviewsKustomize),
    source,
    patches: plan.patches,
  });
}

function placed(result: unknown): PlacedChange {
  expect(result).toMatchObject({ placed: true });
  return result as PlacedChange;
}

function unplaced(result: unknown): UnplacedChange {
  expect(result).toMatchObject({ placed: false });
  return result as UnplacedChange;
}

/** The same text with each `[from, to]` replaced once, in order. */
function edited(text: string, ...changes: Array<[string, string]>): string {
  return changes.reduce((t, [from, to]) => {
    expect(t).toContain(from);
    return t.replace(from, to);
  }, text);
}

describe('placeChange on a kustomize overlay', () => {
  it("edits the overlay's strategic-merge patch, which replaces spec.http whole, and leaves the base alone", async () => {
    const result = placed(await place({ path: 'overlays/smp' }));
    const file = 'overlays/smp/weights.yaml';
    expect(result.files).toEqual([
      {
        path: file,
        before: reviewsKustomize[file],
        after: edited(
          reviewsKustomize[file],
          ['weight: 80   # stable', 'weight: 50   # stable'],
          ['weight: 20   # canary', 'weight: 50   # canary'],
        ),
      },
    ]);
    expect(result.edits).toEqual([
      {
        file,
        line: 19,
        pointer: '/spec/http/0/route/0/weight',
        op: 'replace',
        from: 80,
        to: 50,
      },
      {
        file,
        line: 25,
        pointer: '/spec/http/0/route/1/weight',
        op: 'replace',
        from: 20,
        to: 50,
      },
    ]);
    expect(result.notes).toEqual([]);
  });

  it("edits the values of the overlay's JSON 6902 operations", async () => {
    const result = placed(await place({ path: 'overlays/json6902' }));
    const file = 'overlays/json6902/weights.yaml';
    expect(result.files).toEqual([
      {
        path: file,
        before: reviewsKustomize[file],
        after: edited(
          reviewsKustomize[file],
          ['value: 80 # stable', 'value: 50 # stable'],
          ['value: 20\n', 'value: 50\n'],
        ),
      },
    ]);
    expect(result.edits.map(e => [e.file, e.line, e.pointer])).toEqual([
      [file, 4, '/spec/http/0/route/0/weight'],
      [file, 7, '/spec/http/0/route/1/weight'],
    ]);
  });

  it('edits a legacy patchesJson6902 JSON file, applied after the namespace field', async () => {
    const result = placed(
      await place(
        { path: 'overlays/legacy' },
        reviewsCluster([80, 20], { namespace: 'reviews-prod' }),
      ),
    );
    const file = 'overlays/legacy/weights.json';
    expect(result.files.map(f => f.path)).toEqual([file]);
    expect(result.files[0].after).toBe(
      edited(
        reviewsKustomize[file],
        ['"value": 80}', '"value": 50}'],
        ['"value": 20}', '"value": 50}'],
      ),
    );
  });

  it('edits the base when no layer above it sets the value, and says the base lies outside the synced path', async () => {
    const result = placed(
      await place({ path: 'overlays/base-only' }, reviewsCluster([100, 0]), {
        v1: 90,
        v2: 10,
      }),
    );
    const file = 'base/virtualservice.yaml';
    expect(result.files).toEqual([
      {
        path: file,
        before: reviewsKustomize[file],
        after: edited(
          reviewsKustomize[file],
          ['weight: 100 # all on v1', 'weight: 90 # all on v1'],
          ['weight: 0\n', 'weight: 10\n'],
        ),
      },
    ]);
    expect(result.notes).toEqual([
      'base/virtualservice.yaml lies outside the synced directory overlays/base-only: anything else that ' +
        'includes it changes too',
    ]);
  });

  it("follows kustomize's namespace field and name prefix to the object, and finds nothing under the old identity", async () => {
    const prod = reviewsCluster([80, 20], {
      name: 'prod-reviews',
      namespace: 'reviews-prod',
    });
    const result = placed(await place({ path: 'overlays/prod' }, prod));
    expect(result.files.map(f => f.path)).toEqual([
      'overlays/prod/weights.yaml',
    ]);
    expect(parse(result.files[0].after)).toEqual([
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
    ]);

    const unprefixed = reviewsCluster([80, 20], { namespace: 'reviews-prod' });
    expect(
      unplaced(await place({ path: 'overlays/prod' }, unprefixed)).reason,
    ).toBe(
      'VirtualService reviews-prod/reviews is not defined in overlays/prod (2 objects read there)',
    );
    const oldNamespace = reviewsCluster([80, 20], { name: 'prod-reviews' });
    expect(
      unplaced(await place({ path: 'overlays/prod' }, oldNamespace)).reason,
    ).toBe(
      'VirtualService bookinfo/prod-reviews is not defined in overlays/prod (2 objects read there)',
    );
  });
});

describe('placeChange answers cannot-place', () => {
  it('for a Helm chart, with the change as a kustomize patch', async () => {
    const result = unplaced(await place({ path: 'chart' }));
    expect(result.reason).toBe(
      'chart is a Helm chart (it has a Chart.yaml): its objects are rendered from templates, so the values ' +
        'are not written in any one file',
    );
    expect(result.patch)
      .toBe(`# The change to VirtualService bookinfo/reviews, as JSON Patch (RFC 6902), not placed in the repository:
# ${result.reason}
# Make it by hand where the repository defines these values, or add these entries to the \`patches:\` of
# the kustomization the GitOps tool syncs.
patches:
  - target:
      group: networking.istio.io
      kind: VirtualService
      name: reviews
      namespace: bookinfo
    patch: |
      - op: test
        path: /spec/http/0/route/0/destination
        value:
          host: reviews
          subset: v1
          port:
            number: 9080
      - op: test
        path: /spec/http/0/route/0/weight
        value: 80
      - op: replace
        path: /spec/http/0/route/0/weight
        value: 50
      - op: test
        path: /spec/http/0/route/1/destination
        value:
          host: reviews
          subset: v2
          port:
            number: 9080
      - op: test
        path: /spec/http/0/route/1/weight
        value: 20
      - op: replace
        path: /spec/http/0/route/1/weight
        value: 50
`);
    // The text is a kustomize patches entry whose operations are the planner's.
    expect(parse(parse(result.patch).patches[0].patch)).toHaveLength(6);
  });

  it('for a kustomization that renders a Helm chart', async () => {
    expect(unplaced(await place({ path: 'overlays/helm' })).reason).toBe(
      'overlays/helm/kustomization.yaml renders a Helm chart (helmCharts), which placement does not model',
    );
  });

  it('for two patches of one overlay that both set the route', async () => {
    expect(unplaced(await place({ path: 'overlays/two-patches' })).reason).toBe(
      'VirtualService bookinfo/reviews: /spec/http/0/route/0/weight is set by several documents of the patches ' +
        'of overlays/two-patches/kustomization.yaml (overlays/two-patches/weights-a.yaml, ' +
        'overlays/two-patches/weights-b.yaml); which one to edit is a guess',
    );
  });

  it('when Git and the cluster disagree on a value the change tests, naming both', async () => {
    expect(
      unplaced(await place({ path: 'overlays/smp' }, reviewsCluster([60, 40])))
        .reason,
    ).toBe(
      'VirtualService bookinfo/reviews: at /spec/http/0/route/0/weight the repository has 80 ' +
        '(overlays/smp/weights.yaml line 19) but the cluster, which the change was planned on, has 60; the ' +
        'repository and the cluster disagree (a sync may be pending, or the object was changed outside Git), so ' +
        'the change is not placed',
    );
  });

  it('for values inside an inline patch string', async () => {
    expect(unplaced(await place({ path: 'overlays/inline' })).reason).toBe(
      'VirtualService bookinfo/reviews: /spec/http/0/route/0/weight cannot be edited in place: it is written ' +
        'in an inline patch string in overlays/inline/kustomization.yaml',
    );
  });

  it('for a remote resource', async () => {
    expect(unplaced(await place({ path: 'overlays/remote' })).reason).toBe(
      'overlays/remote/kustomization.yaml includes the remote resource ' +
        'https://github.com/example/bookinfo//reviews?ref=v1; placement reads only this repository',
    );
  });
});
