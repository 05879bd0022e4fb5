import {
  equalityRequirements,
  formatLabelSelector,
  hasEqualityRequirement,
  LabelRequirement,
  LabelSelectorSyntaxError,
  matchesLabels,
  parseLabelSelector,
} from './labelSelector';

const req = (
  key: string,
  operator: LabelRequirement['operator'],
  ...values: string[]
): LabelRequirement => ({ key, operator, values });

describe('parseLabelSelector', () => {
  it.each<[string, LabelRequirement[]]>([
    ['', []],
    ['  \t\n', []],
    ['app=reviews', [req('app', 'Equals', 'reviews')]],
    ['app==reviews', [req('app', 'Equals', 'reviews')]],
    ['app!=reviews', [req('app', 'NotEquals', 'reviews')]],
    ['app=', [req('app', 'Equals', '')]],
    ['app', [req('app', 'Exists')]],
    ['!app', [req('app', 'DoesNotExist')]],
    ['! app', [req('app', 'DoesNotExist')]],
    ['tier in (web)', [req('tier', 'In', 'web')]],
    ['tier in (web, api ,web)', [req('tier', 'In', 'api', 'web')]],
    ['tier notin (web,api)', [req('tier', 'NotIn', 'api', 'web')]],
    ['tier in ()', [req('tier', 'In', '')]],
    ['tier in (web,)', [req('tier', 'In', '', 'web')]],
    ['tier in (,web)', [req('tier', 'In', '', 'web')]],
    ['tier in (a,,b)', [req('tier', 'In', '', 'a', 'b')]],
    ['tier in(web)', [req('tier', 'In', 'web')]],
    ['replicas>3', [req('replicas', 'GreaterThan', '3')]],
    ['replicas < 10', [req('replicas', 'LessThan', '10')]],
    ['in=notin', [req('in', 'Equals', 'notin')]],
    ['x in (in,notin)', [req('x', 'In', 'in', 'notin')]],
    [
      'app.kubernetes.io/name=reviews',
      [req('app.kubernetes.io/name', 'Equals', 'reviews')],
    ],
    [
      ' tier in (web) , app = reviews,!canary ',
      [
        req('app', 'Equals', 'reviews'),
        req('canary', 'DoesNotExist'),
        req('tier', 'In', 'web'),
      ],
    ],
    ['Team_1.x=A-b.c_D', [req('Team_1.x', 'Equals', 'A-b.c_D')]],
  ])('parses %j', (selector, requirements) => {
    expect(parseLabelSelector(selector)).toEqual(requirements);
  });

  it.each([
    ['app=reviews,', "expected: identifier after ','"],
    [',app=reviews', "found ',', expected: !, identifier"],
    ['app=reviews tier=web', "found 'tier', expected: ',' or 'end of string'"],
    ['app reviews', "found 'reviews', expected: in, notin, =, ==, !=, gt, lt"],
    ['app===reviews', "found '=', expected: identifier"],
    ['app=a=b', "found '=', expected: ',' or 'end of string'"],
    ['!app=reviews', "found '=', expected: ',' or 'end of string'"],
    ['!', "found '', expected: identifier"],
    ['tier in web', "found 'web', expected: '('"],
    ['tier in (web', "found '', expected: ',', ')' or identifier"],
    ['tier in (a b)', "found 'b', expected: ',', ')' or identifier"],
    ['tier in (a)(', "found '(', expected: ',' or 'end of string'"],
    ['Bad Key=x', "found 'Key'"],
    ['-app=x', 'invalid label key "-app"'],
    ['a/b/c=x', 'invalid label key "a/b/c"'],
    ['Example.com/app=x', 'invalid label key "Example.com/app"'],
    ['/app=x', 'invalid label key "/app"'],
    ['example.com/=x', 'invalid label key "example.com/"'],
    [`${'k'.repeat(64)}=x`, 'invalid label key'],
    [`app=${'v'.repeat(64)}`, 'invalid value'],
    ['app=-x', 'invalid value "-x"'],
    ['app=a%b', 'invalid value "a%b"'],
    ['tier in (web,-x)', 'invalid value "-x"'],
    ['replicas>three', "the value of '>' and '<' must be an integer"],
    ['replicas>99999999999999999999', 'must be an integer'],
    ['app=rev\u0000iews', 'invalid value'],
  ])('refuses %j', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      LabelSelectorSyntaxError,
    );
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });

  it('accepts keys and values at their length limits', () => {
    const prefix = `${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(
      63,
    )}.${'s'.repeat(61)}`;
    expect(prefix).toHaveLength(253);
    const selector = `${prefix}/${'n'.repeat(63)}=${'v'.repeat(63)}`;
    expect(parseLabelSelector(selector)).toHaveLength(1);
    expect(() => parseLabelSelector(`x${selector}`)).toThrow('prefix');
  });
});

describe('formatLabelSelector', () => {
  it.each([
    [
      'backstage.io/kubernetes-id=reviews',
      'backstage.io/kubernetes-id=reviews',
    ],
    ['app=reviews,tier in (web)', 'app=reviews,tier in (web)'],
    [' tier in (web , api) ,app == reviews', 'app=reviews,tier in (api,web)'],
    ['b!=1,a notin (x),!c,d,e>1,f<2', 'a notin (x),b!=1,!c,d,e>1,f<2'],
    ['x in ()', 'x in ()'],
  ])('writes %j as %j, which parses back the same', (selector, canonical) => {
    const requirements = parseLabelSelector(selector);
    expect(formatLabelSelector(requirements)).toBe(canonical);
    expect(parseLabelSelector(canonical)).toEqual(requirements);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'reviews', tier: 'web', replicas: '5', empty: '' };
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', undefined, true],
    ['app=reviews', labels, true],
    ['app=ratings', labels, false],
    ['app=reviews', undefined, false],
    ['app=reviews,tier=api', labels, false],
    ['app!=ratings', labels, true],
    ['app!=reviews', labels, false],
    ['missing!=x', labels, true],
    ['tier in (api,web)', labels, true],
    ['tier in (api)', labels, false],
    ['missing in (x)', labels, false],
    ['tier notin (api)', labels, true],
    ['tier notin (web)', labels, false],
    ['missing notin (x)', labels, true],
    ['app', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!app', labels, false],
    ['empty=', labels, true],
    ['missing=', labels, false],
    ['empty in ()', labels, true],
    ['replicas>3', labels, true],
    ['replicas>5', labels, false],
    ['replicas<6', labels, true],
    ['app>1', labels, false],
    ['missing<1', labels, false],
    ['constructor', {}, false],
    ['!constructor', {}, true],
    ['toString!=x', { toString: 'x' }, false],
  ])('%j on %j is %s', (selector, objectLabels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), objectLabels)).toBe(
      expected,
    );
  });
});

describe('equalityRequirements', () => {
  it.each<[string, Array<{ key: string; value: string }>]>([
    ['app=reviews', [{ key: 'app', value: 'reviews' }]],
    ['app==reviews', [{ key: 'app', value: 'reviews' }]],
    ['tier in (web)', [{ key: 'tier', value: 'web' }]],
    ['tier in (web,web)', [{ key: 'tier', value: 'web' }]],
    [
      'app=reviews,tier in (web),x!=y',
      [
        { key: 'app', value: 'reviews' },
        { key: 'tier', value: 'web' },
      ],
    ],
    ['x!=y', []],
    ['!foo', []],
    ['foo', []],
    ['tier in (web,api)', []],
    ['tier notin (web)', []],
    ['replicas>1', []],
    ['', []],
  ])('of %j', (selector, pairs) => {
    const requirements = parseLabelSelector(selector);
    expect(equalityRequirements(requirements)).toEqual(pairs);
    expect(hasEqualityRequirement(requirements)).toBe(pairs.length > 0);
  });
});
