import { deepEqual, specPart, timestamp } from './objects';

describe('objects', () => {
  it.each([
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: {} }, { a: [] }, false],
    [null, {}, false],
    ['1', 1, false],
  ])('deepEqual(%j, %j) = %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });

  it('takes everything but metadata, status and type as the spec part', () => {
    expect(
      specPart({
        apiVersion: 'v1',
        kind: 'K',
        metadata: { name: 'n' },
        status: { s: 1 },
        spec: { x: 1 },
        data: 'd',
      }),
    ).toEqual({
      spec: { x: 1 },
      data: 'd',
    });
  });

  it('formats timestamps with second precision like metav1.Time', () => {
    expect(timestamp(new Date('2026-01-02T03:04:05.678Z'))).toBe(
      '2026-01-02T03:04:05Z',
    );
  });
});
