import { ApiException } from '@kubernetes/client-node';
import { ClusterReadError } from '../kubernetes';
import { mayHaveLanded, patchLanding } from './patchLanding';

const original = {
  metadata: { name: 'reviews', resourceVersion: '41' },
  spec: { http: [{ route: [{ weight: 50 }, { weight: 50 }] }] },
};
const patch = {
  operations: [
    { op: 'replace' as const, path: '/metadata/resourceVersion', value: '41' },
    { op: 'test' as const, path: '/spec/http/0/route/0/weight', value: 50 },
    { op: 'replace' as const, path: '/spec/http/0/route/0/weight', value: 80 },
    { op: 'test' as const, path: '/spec/http/0/route/1/weight', value: 50 },
    { op: 'replace' as const, path: '/spec/http/0/route/1/weight', value: 20 },
  ],
};
const at = (resourceVersion: string, a: number, b: number) => ({
  metadata: { name: 'reviews', resourceVersion },
  spec: { http: [{ route: [{ weight: a }, { weight: b }] }] },
});

describe('patchLanding', () => {
  it('is made when the object has the patched spec and a newer version', () => {
    expect(patchLanding(original, at('42', 80, 20), patch)).toBe('made');
  });

  it('is not made when the object still has the spec it was planned on', () => {
    expect(patchLanding(original, at('41', 50, 50), patch)).toBe('not-made');
    // Someone changed only its labels meanwhile: still not made.
    expect(patchLanding(original, at('43', 50, 50), patch)).toBe('not-made');
  });

  it('cannot tell when the object is gone or changed otherwise', () => {
    expect(patchLanding(original, undefined, patch)).toBe('unknown');
    expect(patchLanding(original, at('43', 60, 40), patch)).toBe('unknown');
  });

  it('does not call the same spec at the same version made', () => {
    expect(patchLanding(original, at('41', 80, 20), patch)).toBe('unknown');
  });
});

describe('mayHaveLanded', () => {
  it.each([
    ['a 5xx', new ApiException(500, 'x', '{}', {}), true],
    ['a timeout', new ClusterReadError('Timeout', 'late'), true],
    [
      'a cut connection',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      true,
    ],
    ['a 409', new ApiException(409, 'x', '{}', {}), false],
    ['a 422', new ApiException(422, 'x', '{}', {}), false],
    ['a 403', new ApiException(403, 'x', '{}', {}), false],
  ])('%s: %s', (_name, error, expected) => {
    expect(mayHaveLanded(error)).toBe(expected);
  });
});
