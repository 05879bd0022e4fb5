import { parse } from 'yaml';
import { placeChange } from './placeChange';
import { reviewsKustomize } from './__fixtures__/reviewsKustomize';
import {
  clusterObject,
  memoryReader,
  planOn,
} from './__testUtils__/repository';
import type { PlacedChange, UnplacedChange } from './types';

/** The reviews base of the kustomize fixture, plus the files of one case. */
function repository(files: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(reviewsKustomize).filter(([path]) =>
      path.startsWith('base/'),
    ),
  );
  return { ...base, ...files };
}

/** Plans setWeights on the object the repository renders (as the cluster would hold it) and places it. */
async function setWeights(
  files: Record<string, string>,
  cluster: { virtualService: string; destinationRule?: string },
  weights: Record<string, number>,
  route: Record<string, unknown> = { kind: 'http', name: 'reviews-route' },
) {
  const plan = planOn(
    {
      virtualService: clusterObject(cluster.virtualService),
      destinationRules: [
        clusterObject(
          cluster.destinationRule ??
            reviewsKustomize['base/destinationrule.yaml'],
        ),
      ],
    },
    { action: 'setWeights', route, weights },
  );
  return placeChange({
    reader: memoryReader(files),
    source: { path: 'overlay' },
    patches: plan.patches,
  });
}

const baseVs = reviewsKustomize['base/virtualservice.yaml'];

function placed(result: unknown): PlacedChange {
  expect(result).toMatchObject({ placed: true });
  return result as PlacedChange;
}

function unplaced(result: unknown): UnplacedChange {
  expect(result).toMatchObject({ placed: false });
  return result as UnplacedChange;
}

describe('placeChange through layers', () => {
  it('finds a base route that a JSON 6902 insertion moved to another index', async () => {
    const files = repository({
      'overlay/kustomization.yaml': `resources: [../base]
patches:
  - path: debug-route.yaml
    target: {kind: VirtualService, name: reviews}
`,
      'overlay/debug-route.yaml': `- op: add
  path: /spec/http/0
  value:
    name: debug
    match:
      - headers:
          x-debug: {exact: "1"}
    route:
      - destination: {host: reviews, subset: v2}
`,
    });
    const vs = parse(baseVs);
    vs.spec.http.unshift(parse(files['overlay/debug-route.yaml'])[0].value);
    const result = placed(
      await setWeights(
        files,
        { virtualService: JSON.stringify(vs) },
        { v1: 70, v2: 30 },
        { kind: 'http', index: 1 },
      ),
    );
    expect(result.edits.map(e => [e.file, e.line, e.pointer])).toEqual([
      ['base/virtualservice.yaml', 20, '/spec/http/1/route/0/weight'],
      ['base/virtualservice.yaml', 26, '/spec/http/1/route/1/weight'],
    ]);
  });

  it('edits a strategic-merge patch given a target, whose own name kustomize ignores', async () => {
    const files = repository({
      'overlay/kustomization.yaml': `resources: [../base]
patches:
  - path: weights.yaml
    target:
      kind: VirtualService
      name: rev.*
`,
      'overlay/weights.yaml': reviewsKustomize[
        'overlays/smp/weights.yaml'
      ].replace('name: reviews', 'name: placeholder'),
    });
    const vs = parse(baseVs);
    vs.spec.http[0].route[0].weight = 80;
    vs.spec.http[0].route[1].weight = 20;
    const result = placed(
      await setWeights(
        files,
        { virtualService: JSON.stringify(vs) },
        {
          v1: 0,
          v2: 100,
        },
      ),
    );
    expect(result.files.map(f => f.path)).toEqual(['overlay/weights.yaml']);
    expect(parse(result.files[0].after).spec.http[0].route).toMatchObject([
      { weight: 0 },
      { weight: 100 },
    ]);
  });

  it('matches a strategic-merge patch that names no namespace to the one object of its name', async () => {
    const files = repository({
      'overlay/kustomization.yaml': `resources: [../base]
patchesStrategicMerge: [weights.yaml]
`,
      'overlay/weights.yaml': reviewsKustomize[
        'overlays/smp/weights.yaml'
      ].replace('  namespace: bookinfo\n', ''),
    });
    const vs = parse(baseVs);
    vs.spec.http[0].route[0].weight = 80;
    vs.spec.http[0].route[1].weight = 20;
    const result = placed(
      await setWeights(
        files,
        { virtualService: JSON.stringify(vs) },
        { v1: 60, v2: 40 },
      ),
    );
    expect(result.files.map(f => f.path)).toEqual(['overlay/weights.yaml']);
  });

  it('refuses to edit a base that two objects are built from', async () => {
    const files = repository({
      'overlay/kustomization.yaml': `resources:
  - ../base
  - copy
`,
      'overlay/copy/kustomization.yaml': `namePrefix: copy-
resources: [../../base]
`,
    });
    expect(
      unplaced(
        await setWeights(files, { virtualService: baseVs }, { v1: 90, v2: 10 }),
      ).reason,
    ).toBe(
      'VirtualService bookinfo/reviews: /spec/http/0/route/0/weight is written in base/virtualservice.yaml, ' +
        'which applies to 2 objects; editing it would change all of them',
    );
  });

  it('refuses to add a key that a later layer deletes', async () => {
    const files = repository({
      'overlay/kustomization.yaml': `resources: [../base]
patches:
  - path: no-weight.yaml
    target: {kind: VirtualService, name: reviews}
`,
      'overlay/no-weight.yaml': `- op: remove
  path: /spec/http/0/route/1/weight
`,
    });
    const vs = parse(baseVs);
    delete vs.spec.http[0].route[1].weight;
    expect(
      unplaced(
        await setWeights(
          files,
          { virtualService: JSON.stringify(vs) },
          {
            v1: 90,
            v2: 10,
          },
        ),
      ).reason,
    ).toBe(
      'VirtualService bookinfo/reviews: /spec/http/0/route/1/weight is new, but overlay/no-weight.yaml ' +
        'deletes it after base/virtualservice.yaml',
    );
  });

  it('refuses kustomization fields it does not model', async () => {
    const vs = { virtualService: baseVs };
    const components = repository({
      'overlay/kustomization.yaml': `resources: [../base]
components: [../canary]
`,
    });
    expect(
      unplaced(await setWeights(components, vs, { v1: 90, v2: 10 })).reason,
    ).toBe(
      'overlay/kustomization.yaml includes components (components), which placement does not model',
    );
    const unknown = repository({
      'overlay/kustomization.yaml': `resources: [../base]
futureField: true
`,
    });
    expect(
      unplaced(await setWeights(unknown, vs, { v1: 90, v2: 10 })).reason,
    ).toBe(
      'overlay/kustomization.yaml has the field "futureField", which placement does not model',
    );
  });
});

describe('placeChange in one plain file', () => {
  it('refuses a value written through a YAML alias', async () => {
    const text = baseVs
      .replace(
        'weight: 100 # all on v1 until an overlay says otherwise',
        'weight: &stable 100',
      )
      .replace('weight: 0', 'weight: *stable');
    const vs = parse(text);
    expect(
      unplaced(
        await setWeights(
          { 'overlay/reviews.yaml': text },
          { virtualService: JSON.stringify(vs) },
          { v1: 100, v2: 0 },
        ),
      ).reason,
    ).toBe(
      'VirtualService bookinfo/reviews: /spec/http/0/route/1/weight cannot be edited in place: it is an alias ' +
        '(*stable) of a value written elsewhere in overlay/reviews.yaml',
    );
  });

  it('refuses a change whose test names a value the repository does not write', async () => {
    const vs = parse(baseVs);
    vs.spec.http[0].route[0].weight = 50;
    vs.spec.http[0].route[1].weight = 50;
    const withoutWeights = baseVs
      .replace(
        '          weight: 100 # all on v1 until an overlay says otherwise\n',
        '',
      )
      .replace('          weight: 0\n', '');
    expect(
      unplaced(
        await setWeights(
          { 'overlay/reviews.yaml': withoutWeights },
          { virtualService: JSON.stringify(vs) },
          { v1: 90, v2: 10 },
        ),
      ).reason,
    ).toBe(
      'VirtualService bookinfo/reviews: at /spec/http/0/route/0/weight the repository has no value but the ' +
        'cluster, which the change was planned on, has 50; the repository and the cluster disagree (a sync ' +
        'may be pending, or the object was changed outside Git), so the change is not placed',
    );
  });
});
