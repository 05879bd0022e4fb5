import { jsonEqual, pointer, quoteList, show } from './json';

describe('pointer', () => {
  it.each([
    [['spec', 'http', 0, 'route', 1, 'weight'], '/spec/http/0/route/1/weight'],
    [
      ['spec', 'http', 0, 'match', 0, 'headers', 'x~deploy', 'exact'],
      '/spec/http/0/match/0/headers/x~0deploy/exact',
    ],
    [
      ['metadata', 'annotations', 'example.com/owner'],
      '/metadata/annotations/example.com~1owner',
    ],
    [['a', '~/'], '/a/~0~1'],
  ] as Array<[Array<string | number>, string]>)(
    '%j → %s',
    (segments, expected) => {
      expect(pointer(...segments)).toBe(expected);
    },
  );
});

describe('show', () => {
  it.each([
    ['50', '"50"'],
    [12.5, '12.5'],
    [NaN, 'NaN'],
    [-1, '-1'],
    [null, 'null'],
    [undefined, 'nothing'],
    [true, 'true'],
    [[50], '[50]'],
  ])('shows %p as %s', (value, expected) => {
    expect(show(value)).toBe(expected);
  });
});

describe('quoteList', () => {
  it.each([
    [[], ''],
    [['a'], '"a"'],
    [['a', 'b'], '"a" and "b"'],
    [['a', 'b', 'c'], '"a", "b" and "c"'],
  ])('%j → %s', (names, expected) => {
    expect(quoteList(names)).toBe(expected);
  });
});

describe('jsonEqual', () => {
  it.each([
    [
      { host: 'a', port: { number: 1 } },
      { port: { number: 1 }, host: 'a' },
      true,
    ],
    [{ host: 'a' }, { host: 'a', subset: 'v1' }, false],
    [{ number: 1 }, { number: '1' }, false],
    [[1, 2], [2, 1], false],
    [undefined, undefined, true],
    [undefined, { number: 1 }, false],
    [null, {}, false],
  ])('%j vs %j → %p', (a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
  });
});
