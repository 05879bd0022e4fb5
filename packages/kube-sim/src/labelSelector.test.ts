import {
  matchesLabels,
  parseLabelSelector,
  SelectorParseError,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['app=reviews', [{ key: 'app', operator: 'Equals', values: ['reviews'] }]],
    ['app==reviews', [{ key: 'app', operator: 'Equals', values: ['reviews'] }]],
    [
      'app!=reviews',
      [{ key: 'app', operator: 'NotEquals', values: ['reviews'] }],
    ],
    ['app=', [{ key: 'app', operator: 'Equals', values: [''] }]],
    ['app in (a,b)', [{ key: 'app', operator: 'In', values: ['a', 'b'] }]],
    ['app in (a, b )', [{ key: 'app', operator: 'In', values: ['a', 'b'] }]],
    ['app in (a,)', [{ key: 'app', operator: 'In', values: ['a', ''] }]],
    ['app notin (x)', [{ key: 'app', operator: 'NotIn', values: ['x'] }]],
    ['app', [{ key: 'app', operator: 'Exists', values: [] }]],
    ['!app', [{ key: 'app', operator: 'DoesNotExist', values: [] }]],
    [
      'replicas>1',
      [{ key: 'replicas', operator: 'GreaterThan', values: ['1'] }],
    ],
    ['replicas<3', [{ key: 'replicas', operator: 'LessThan', values: ['3'] }]],
    [
      'app.kubernetes.io/name=reviews,version in (v1,v2),!canary,tier',
      [
        {
          key: 'app.kubernetes.io/name',
          operator: 'Equals',
          values: ['reviews'],
        },
        { key: 'version', operator: 'In', values: ['v1', 'v2'] },
        { key: 'canary', operator: 'DoesNotExist', values: [] },
        { key: 'tier', operator: 'Exists', values: [] },
      ],
    ],
  ])('parses %j', (input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });

  it.each([
    ['app in ()', /values set can't be empty/],
    ['app in (a', /expected: ',', '\)' or identifier/],
    ['app in a', /expected: '\('/],
    ['app=a,', /expected: !, identifier/],
    ['app=a b', /expected: ',' or 'end of string'/],
    ['=a', /expected: !, identifier/],
    ['-bad=a', /key: Invalid value: "-bad"/],
    ['app=bad value!', /expected/],
    ['app=-x', /Invalid value: "-x"/],
    ['n>abc', /must be an integer/],
    ['app ~ x', /expected: in, notin/],
  ])('rejects %j', (input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(SelectorParseError);
    expect(() => parseLabelSelector(input)).toThrow(message);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'reviews', version: 'v2', replicas: '3' };

  it.each([
    ['', true],
    ['app=reviews', true],
    ['app==ratings', false],
    ['app!=ratings', true],
    ['app!=reviews', false],
    ['missing!=x', true],
    ['version in (v1,v2)', true],
    ['version in (v1)', false],
    ['missing in (v1)', false],
    ['version notin (v1)', true],
    ['version notin (v2)', false],
    ['missing notin (v1)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas>3', false],
    ['replicas<4', true],
    ['app>1', false],
    ['app=reviews,version=v1', false],
    ['app=reviews,version=v2,!canary', true],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats missing labels as an empty set', () => {
    expect(matchesLabels(parseLabelSelector('!app'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('app'), undefined)).toBe(false);
  });
});
