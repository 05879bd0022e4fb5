import {
  applyConfiguration,
  applyJsonPatch,
  mergePatch,
  parseApplyPatch,
  parseJsonPatch,
  parseMergePatch,
  patchTypeOf,
} from './patch';
import { KubeApiError } from './status';

function status(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return (e as KubeApiError).status;
  }
  return undefined;
}

describe('patchTypeOf', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/json', undefined],
    [undefined, undefined],
  ])('%s -> %s', (ct, expected) => {
    expect(patchTypeOf(ct)).toBe(expected);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = {
    metadata: { resourceVersion: '5' },
    spec: { http: [{ route: [{ weight: 90 }, { weight: 10 }] }] },
  };

  it('applies operations without touching the input', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/http/0/route/0/weight', value: 90 },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
    ]);
    expect(out.spec.http[0].route).toEqual([{ weight: 50 }, { weight: 50 }]);
    expect(out.metadata).toEqual({ resourceVersion: '5', labels: { a: 'b' } });
    expect(doc.spec.http[0].route[0].weight).toBe(90);
  });

  it.each([
    [
      'a failed test',
      [{ op: 'test', path: '/spec/http/0/route/0/weight', value: 1 }],
    ],
    ['a missing path', [{ op: 'remove', path: '/spec/nope' }]],
    ['an unknown op', [{ op: 'frobnicate', path: '/spec' }]],
  ])('answers %s with the generic 422', (_, ops) => {
    expect(status(() => applyJsonPatch(doc, ops as never))).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
  });

  it('refuses bodies that are not a list of operations with 400', () => {
    expect(status(() => parseJsonPatch('{"op":"add"}'))?.code).toBe(400);
    expect(status(() => parseJsonPatch('not json'))?.code).toBe(400);
    expect(parseJsonPatch('[{"op":"add","path":"/a","value":1}]')).toHaveLength(
      1,
    );
  });
});

describe('merge patch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7386 example %#', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it('only takes a JSON object as a merge patch', () => {
    expect(status(() => parseMergePatch('[1]'))?.code).toBe(400);
    expect(parseMergePatch('{"a":1}')).toEqual({ a: 1 });
  });
});

describe('server-side apply', () => {
  it('parses YAML or JSON into a single object', () => {
    expect(
      parseApplyPatch(
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n',
      ),
    ).toMatchObject({ kind: 'Namespace' });
    expect(parseApplyPatch('{"kind":"Namespace"}')).toEqual({
      kind: 'Namespace',
    });
    expect(status(() => parseApplyPatch('a: 1\n---\nb: 2\n'))?.code).toBe(400);
    expect(status(() => parseApplyPatch('- 1\n'))?.code).toBe(400);
    expect(status(() => parseApplyPatch('a: [\n'))?.code).toBe(400);
  });

  it('merges maps into the live object and replaces lists', () => {
    const live = {
      metadata: { name: 'r', labels: { a: '1' } },
      spec: { hosts: ['r'], gateways: ['g'] },
    };
    expect(
      applyConfiguration(live, {
        metadata: { labels: { b: '2' } },
        spec: { hosts: ['s'] },
      }),
    ).toEqual({
      metadata: { name: 'r', labels: { a: '1', b: '2' } },
      spec: { hosts: ['s'], gateways: ['g'] },
    });
  });
});
