import {
  describeChangedLines,
  diffMarker,
  stanzaYaml,
  yamlDiffLines,
} from './yamlDiff';

const destination = (subset: string) => ({
  host: 'reviews',
  subset,
  port: { number: 9080 },
});

/** demo-east's reviews route with the given weights, as the backend returns it. */
const reviewsRoute = (...weights: [string, number][]) => ({
  name: 'reviews-route',
  match: [{ uri: { prefix: '/reviews' } }],
  route: weights.map(([subset, weight]) => ({
    destination: destination(subset),
    weight,
  })),
});

const changed = (lines: ReturnType<typeof yamlDiffLines>) =>
  lines.filter(l => l.change !== 'unchanged');

describe('stanzaYaml', () => {
  it('writes the stanza as YAML in the object’s key order', () => {
    expect(stanzaYaml(reviewsRoute(['v1', 100]))).toBe(
      [
        'name: reviews-route',
        'match:',
        '  - uri:',
        '      prefix: /reviews',
        'route:',
        '  - destination:',
        '      host: reviews',
        '      subset: v1',
        '      port:',
        '        number: 9080',
        '    weight: 100',
        '',
      ].join('\n'),
    );
  });

  it('keeps a long value on one line instead of folding it', () => {
    const long = `/${'a'.repeat(200)}`;
    const yaml = stanzaYaml({ match: [{ uri: { prefix: long } }] });
    expect(yaml.split('\n').some(line => line.endsWith(long))).toBe(true);
  });

  it('is empty for a route that does not exist on one side', () => {
    expect(stanzaYaml(undefined)).toBe('');
    expect(stanzaYaml(null)).toBe('');
  });
});

describe('yamlDiffLines', () => {
  it('marks only the weights a setWeights changes, each old line before its new one', () => {
    const lines = yamlDiffLines(
      reviewsRoute(['v1', 50], ['v2', 50]),
      reviewsRoute(['v1', 80], ['v2', 20]),
    );
    expect(changed(lines)).toEqual([
      { change: 'removed', text: '    weight: 50' },
      { change: 'added', text: '    weight: 80' },
      { change: 'removed', text: '    weight: 50' },
      { change: 'added', text: '    weight: 20' },
    ]);
    // the whole route is there: the resulting stanza plus the removed lines
    expect(lines.filter(l => l.change !== 'removed').map(l => l.text)).toEqual(
      stanzaYaml(reviewsRoute(['v1', 80], ['v2', 20]))
        .trimEnd()
        .split('\n'),
    );
  });

  it('keeps the destinations as context when two weights trade places', () => {
    const lines = yamlDiffLines(
      reviewsRoute(['v1', 80], ['v2', 20]),
      reviewsRoute(['v1', 20], ['v2', 80]),
    );
    expect(changed(lines).map(l => l.text.trim())).toEqual([
      'weight: 80',
      'weight: 20',
      'weight: 20',
      'weight: 80',
    ]);
    expect(lines.find(l => l.text.includes('subset: v2'))?.change).toBe(
      'unchanged',
    );
  });

  it('shows a destination the change removes as removed lines, nothing added', () => {
    const lines = yamlDiffLines(
      reviewsRoute(['v1', 0], ['v2', 100]),
      reviewsRoute(['v2', 100]),
    );
    const removed = changed(lines);
    expect(removed.every(l => l.change === 'removed')).toBe(true);
    expect(removed.map(l => l.text.trim())).toContain('subset: v1');
    expect(removed.map(l => l.text.trim())).toContain('weight: 0');
  });

  it('shows a destination the change adds as added lines', () => {
    const lines = yamlDiffLines(
      reviewsRoute(['v1', 100]),
      reviewsRoute(['v1', 100], ['v3', 0]),
    );
    expect(changed(lines).every(l => l.change === 'added')).toBe(true);
    expect(changed(lines).map(l => l.text.trim())).toEqual([
      '- destination:',
      'host: reviews',
      'subset: v3',
      'port:',
      'number: 9080',
      'weight: 0',
    ]);
  });

  it('marks a header match that changes, for a switch', () => {
    const before = {
      name: 'green-by-header',
      match: [{ headers: { 'x-deploy': { exact: 'green' } } }],
      route: [{ destination: { host: 'web', subset: 'green' } }],
    };
    const after = {
      ...before,
      route: [{ destination: { host: 'web', subset: 'blue' } }],
    };
    expect(changed(yamlDiffLines(before, after))).toEqual([
      { change: 'removed', text: '      subset: green' },
      { change: 'added', text: '      subset: blue' },
    ]);
  });

  it('has no changed line when before and after are equal', () => {
    const route = reviewsRoute(['v1', 50], ['v2', 50]);
    const lines = yamlDiffLines(route, structuredClone(route));
    expect(lines.length).toBeGreaterThan(0);
    expect(changed(lines)).toEqual([]);
  });

  it('is all added lines for a route that did not exist before', () => {
    const lines = yamlDiffLines(undefined, reviewsRoute(['v1', 100]));
    expect(lines.every(l => l.change === 'added')).toBe(true);
    expect(lines[0].text).toBe('name: reviews-route');
  });
});

describe('diffMarker', () => {
  it.each([
    ['added', '+'],
    ['removed', '-'],
    ['unchanged', ' '],
  ] as const)('marks a line %s with "%s"', (change, marker) => {
    expect(diffMarker(change)).toBe(marker);
  });
});

describe('describeChangedLines', () => {
  it.each([
    [[], 'no line changed'],
    [['added'], '1 line added'],
    [['removed', 'removed'], '2 lines removed'],
    [['removed', 'added', 'removed', 'added'], '2 lines removed, 2 added'],
    [['removed', 'added', 'added'], '1 line removed, 2 added'],
  ] as const)('counts %j as "%s"', (changes, words) => {
    expect(
      describeChangedLines([
        { change: 'unchanged', text: 'name: r' },
        ...changes.map(change => ({ change, text: 'x' })),
      ]),
    ).toBe(words);
  });
});
