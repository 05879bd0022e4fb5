import type { RolloutObjectPatch } from '@internal/plugin-istio-rollouts-common';
import { addedSubset, routeUsesSubset, subsetRemoval } from './subsetAddition';

const append: RolloutObjectPatch = {
  kind: 'DestinationRule',
  namespace: 'bookinfo',
  name: 'reviews',
  operations: [
    { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
    {
      op: 'add',
      path: '/spec/subsets/-',
      value: { name: 'v4', labels: { version: 'v4' } },
    },
  ],
};
const create: RolloutObjectPatch = {
  ...append,
  operations: [
    {
      op: 'add',
      path: '/spec/subsets',
      value: [{ name: 'v4', labels: { version: 'v4' } }],
    },
  ],
};
const dr = (...names: string[]) => ({
  spec: {
    host: 'reviews',
    subsets: names.map(name => ({ name, labels: { version: name } })),
  },
});

describe('addedSubset', () => {
  it('reads the subset a startCanary DestinationRule patch adds', () => {
    expect(addedSubset(append)).toBe('v4');
    expect(addedSubset(create)).toBe('v4');
  });

  it('is undefined for a VirtualService patch', () => {
    expect(addedSubset({ ...append, kind: 'VirtualService' })).toBeUndefined();
  });
});

describe('subsetRemoval', () => {
  it('tests the name at the subset’s position, then removes it', () => {
    expect(subsetRemoval(append, dr('v1', 'v2', 'v3', 'v4'), 'v4')).toEqual({
      kind: 'DestinationRule',
      namespace: 'bookinfo',
      name: 'reviews',
      operations: [
        { op: 'test', path: '/spec/subsets/3/name', value: 'v4' },
        { op: 'remove', path: '/spec/subsets/3' },
      ],
    });
  });

  it('removes the list again when the addition created it', () => {
    expect(subsetRemoval(create, dr('v4'), 'v4')?.operations).toEqual([
      {
        op: 'test',
        path: '/spec/subsets',
        value: [{ name: 'v4', labels: { version: 'v4' } }],
      },
      { op: 'remove', path: '/spec/subsets' },
    ]);
  });

  it('is undefined when the subset is not there', () => {
    expect(subsetRemoval(append, dr('v1'), 'v4')).toBeUndefined();
    expect(subsetRemoval(append, {}, 'v4')).toBeUndefined();
  });
});

describe('routeUsesSubset', () => {
  const vs = {
    spec: {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 100 },
            { destination: { host: 'reviews', subset: 'v4' }, weight: 0 },
          ],
        },
      ],
    },
  };
  it('finds a destination with the subset in the route', () => {
    expect(routeUsesSubset(vs, { kind: 'http', index: 0 }, 'v4')).toBe(true);
    expect(routeUsesSubset(vs, { kind: 'http', index: 0 }, 'v5')).toBe(false);
    expect(routeUsesSubset(vs, { kind: 'http', index: 1 }, 'v4')).toBe(false);
    expect(routeUsesSubset(vs, { kind: 'tcp', index: 0 }, 'v4')).toBe(false);
  });
});
