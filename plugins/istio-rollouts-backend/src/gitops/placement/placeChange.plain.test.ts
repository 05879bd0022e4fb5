import { placeChange } from './placeChange';
import {
  gorillaPlain,
  gorillaPlainSwitched,
} from './__fixtures__/gorillaPlain';
import {
  clusterObject,
  deployment,
  lastDocument,
  memoryReader,
  planOn,
} from './__testUtils__/repository';
import type { PlacedChange, UnplacedChange } from './types';

const VS = 'apps/gorilla/virtualservice.yaml';

/** The cluster's gorilla objects: what Argo CD applied from the repository. */
function gorillaCluster() {
  return {
    virtualService: clusterObject(lastDocument(gorillaPlain[VS])),
    destinationRules: [
      clusterObject(gorillaPlain['apps/gorilla/destinationrule.yml']),
    ],
  };
}

function placed(result: unknown): PlacedChange {
  expect(result).toMatchObject({ placed: true });
  return result as PlacedChange;
}

function unplaced(result: unknown): UnplacedChange {
  expect(result).toMatchObject({ placed: false });
  return result as UnplacedChange;
}

describe('placeChange on a plain manifest directory', () => {
  it('edits the values of a switch in place, byte for byte the same elsewhere', async () => {
    const plan = planOn(gorillaCluster(), { action: 'switch' });
    const result = placed(
      await placeChange({
        reader: memoryReader(gorillaPlain),
        source: { path: 'apps/gorilla' },
        patches: plan.patches,
      }),
    );

    expect(result.files).toEqual([
      { path: VS, before: gorillaPlain[VS], after: gorillaPlainSwitched },
    ]);
    expect(result.edits).toEqual([
      {
        file: VS,
        line: 26,
        pointer: '/spec/http/0/route/0/destination/subset',
        op: 'replace',
        from: 'green',
        to: 'blue',
      },
      {
        file: VS,
        line: 22,
        pointer: '/spec/http/0/match/0/headers/x-deploy/exact',
        op: 'replace',
        from: 'green',
        to: 'blue',
      },
      {
        file: VS,
        line: 31,
        pointer: '/spec/http/1/route/0/destination/subset',
        op: 'replace',
        from: 'blue',
        to: 'green',
      },
      {
        file: VS,
        line: 19,
        pointer: '/spec/http/0/name',
        op: 'replace',
        from: 'green-by-header',
        to: 'blue-by-header',
      },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('reads subdirectories only when asked, like directory.recurse', async () => {
    const plan = planOn(gorillaCluster(), { action: 'switch' });
    const result = unplaced(
      await placeChange({
        reader: memoryReader(gorillaPlain),
        source: { path: '/apps/gorilla/', recurse: true },
        patches: plan.patches,
      }),
    );
    expect(result.reason).toBe(
      'several objects could be VirtualService default/gorilla-sfx-demo: ' +
        'VirtualService default/gorilla-sfx-demo in apps/gorilla/extra/old-virtualservice.yaml, ' +
        'VirtualService default/gorilla-sfx-demo in apps/gorilla/virtualservice.yaml; ' +
        'which one the tool applies is a guess',
    );
  });

  it('answers the change as text when the object is not in the synced directory', async () => {
    const plan = planOn(gorillaCluster(), { action: 'switch' });
    const result = unplaced(
      await placeChange({
        reader: memoryReader(gorillaPlain),
        source: { path: 'apps/gorilla', defaultNamespace: 'other' },
        patches: plan.patches.map(p => ({ ...p, namespace: 'staging' })),
      }),
    );
    expect(result.reason).toBe(
      'VirtualService staging/gorilla-sfx-demo is not defined in apps/gorilla (3 objects read there)',
    );
    expect(result.patch).toContain('name: gorilla-sfx-demo');
  });
});

/** reviews as one plain file: weights 90/10, and a ratings route whose lone destination has no weight. */
const reviewsFile = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews]
  http:
    - name: reviews-route
      route:
        # stable
        - destination:
            host: reviews
            subset: v1
          weight: 100
        # retired
        - destination:
            host: reviews
            subset: v2
          weight: 0
        # staged
        - destination:
            host: reviews
            subset: v3
          weight: 0
      timeout: 10s
    - name: ratings
      route:
        - destination:
            host: reviews
            subset: v1
`;

const reviewsRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
  subsets:
    - name: v1
      labels:
        version: v1 # stable
    - name: v2
      labels:
        version: v2
    - name: v3
      labels:
        version: v3
`;

function reviewsCluster() {
  return {
    virtualService: clusterObject(reviewsFile),
    destinationRules: [clusterObject(reviewsRule)],
    deployments: ['v1', 'v2', 'v3', 'v4'].map(v =>
      deployment(`reviews-${v}`, 'bookinfo', { app: 'reviews', version: v }),
    ),
  };
}

const reviewsRepo = {
  'bookinfo/reviews.yaml': reviewsFile,
  'bookinfo/reviews-rule.yaml': reviewsRule,
};

describe('placeChange adding and removing lines', () => {
  it('removes a retired destination as whole lines (finish)', async () => {
    const plan = planOn(reviewsCluster(), {
      action: 'finish',
      route: { kind: 'http', index: 0 },
    });
    const result = placed(
      await placeChange({
        reader: memoryReader(reviewsRepo),
        source: { path: 'bookinfo' },
        patches: plan.patches,
      }),
    );
    // v2 is retired (moved on from), v3 staged: finish removes v2's lines; the comments around them stay.
    const v2 = `        - destination:
            host: reviews
            subset: v2
          weight: 0
`;
    expect(reviewsFile).toContain(v2);
    expect(result.files).toEqual([
      {
        path: 'bookinfo/reviews.yaml',
        before: reviewsFile,
        after: reviewsFile.replace(v2, ''),
      },
    ]);
    expect(result.edits).toEqual([
      {
        file: 'bookinfo/reviews.yaml',
        line: 17,
        pointer: '/spec/http/0/route/1',
        op: 'remove',
        from: { destination: { host: 'reviews', subset: 'v2' }, weight: 0 },
      },
    ]);
  });

  it('adds a missing weight and a canary destination and subset (startCanary)', async () => {
    const plan = planOn(reviewsCluster(), {
      action: 'startCanary',
      route: { kind: 'http', name: 'ratings' },
      subset: 'v4',
    });
    const result = placed(
      await placeChange({
        reader: memoryReader(reviewsRepo),
        source: { path: 'bookinfo' },
        patches: plan.patches,
      }),
    );
    const byPath = Object.fromEntries(result.files.map(f => [f.path, f.after]));
    expect(byPath['bookinfo/reviews.yaml']).toBe(
      `${reviewsFile}          weight: 100
        - destination:
            host: reviews
            subset: v4
          weight: 0
`,
    );
    expect(byPath['bookinfo/reviews-rule.yaml']).toBe(
      `${reviewsRule}    - name: v4
      labels:
        version: v4
`,
    );
  });
});
