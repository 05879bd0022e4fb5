/*
 * Suite 4, bad input: at least a thousand generated malformed requests
 * (fast-check) against the three endpoints — wrong types, huge and negative
 * numbers, NaN strings, unknown actions, missing and extra fields, bodies of
 * a megabyte and near the body limit, bodies that are not JSON objects,
 * unicode and path traversal in names and ids, invalid entity refs and query
 * parameters. Every answer is a 4xx whose message names the problem; the
 * cluster sees no write; the backend's memory and health are the same
 * afterwards.
 */
import fc from 'fast-check';
import {
  act,
  API,
  Backend,
  closeConnections,
  countBy,
  demoManifests,
  entityPath,
  GUEST,
  loadRollout,
  recordResults,
  request,
  runDir,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(300_000);

const RUNS = 1200;
/** Requests sent before the memory baseline. */
const WARM_UP_RUNS = 200;
const REVIEWS = 'demo-east/bookinfo/reviews';
const FIELDS = [
  'rolloutId',
  'route',
  'action',
  'weights',
  'subset',
  'resourceVersion',
  'reason',
  'dryRun',
];

/** One malformed request, and what its answer must say. */
interface Attack {
  category: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** The error message must match this: it names the problem. */
  message: RegExp;
  /** Allowed statuses (all 4xx). */
  statuses: number[];
}

/** Anything a number must not be: strings of numbers, NaN and infinities as text, booleans, null, lists, objects, fractions, out of range, unsafe integers. */
const notAWeight: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '80',
    'NaN',
    'Infinity',
    '-Infinity',
    '',
    '0x50',
    '1e2',
    ' 80',
    '٨٠',
  ),
  fc.constantFrom(true, false, null, [], {}, [80], { value: 80 }),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter(d => !Number.isInteger(d) && Number.isFinite(d)),
  fc.integer({ min: 101, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
  fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1e21, 5e-324),
);

/** Any string, including astral planes, lone surrogates, control characters and RTL marks. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '\ud800',
    'ä',
    '🦍',
    '\n\r',
    '%00',
    '${jndi:ldap://x}',
  ),
);

/** Percent-encodes any string byte by byte (lone surrogates included, as UTF-8 replacement characters). */
function pct(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map(b =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) && b < 128
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

const traversal = fc.constantFrom(
  '..',
  '../..',
  '..%2f..%2f',
  '%2e%2e',
  '%2e%2e%2f',
  '.',
  '%2F',
  '%00',
  '..\\..',
  '%c0%ae%c0%ae',
);

function attacks(resourceVersion: string): fc.Arbitrary<Attack> {
  const base = () => ({
    rolloutId: REVIEWS,
    route: { kind: 'http', index: 0 },
    action: 'setWeights',
    weights: { v1: 80, v2: 20 },
    resourceVersion,
  });
  const actions = `${entityPath('reviews')}/rollouts/actions`;
  const post = (
    category: string,
    body: unknown,
    message: RegExp,
    statuses = [400],
  ): Attack => ({
    category,
    method: 'POST',
    path: actions,
    body,
    message,
    statuses,
  });

  const wrongWeight = fc
    .tuple(fc.constantFrom('v1', 'v2'), notAWeight)
    .map(([subset, value]) =>
      post(
        'weight of a wrong type or out of range',
        {
          ...base(),
          weights: { ...base().weights, [subset]: value },
        },
        /^weights/,
      ),
    );

  const unknownAction = fc
    .oneof(
      anyText,
      fc.constantFrom(
        'delete',
        'SETWEIGHTS',
        'setWeights ',
        'promote\u0000',
        '__proto__',
      ),
    )
    .filter(
      a =>
        ![
          'setWeights',
          'promote',
          'rollback',
          'switch',
          'startCanary',
        ].includes(a),
    )
    .map(action => post('unknown action', { ...base(), action }, /^action: /));

  const missingField = fc
    .constantFrom('rolloutId', 'action', 'resourceVersion', 'weights', 'route')
    .map(field => {
      const body: Record<string, unknown> = base();
      delete body[field];
      return post('missing field', body, new RegExp(`^${field}: `));
    });

  const extraField = fc
    .tuple(
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 24 }),
        fc.constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          'toString',
          '$where',
          'Action',
          'weights ',
        ),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .filter(([key]) => !FIELDS.includes(key))
    .map(([key, value]) => {
      // Built as text: `{ __proto__: … }` in an object literal would set the prototype.
      const json = JSON.stringify(base()).replace(
        /}$/,
        () => `,${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`,
      );
      return {
        ...post('extra field', undefined, /is not a field here/),
        rawBody: json,
        headers: { 'content-type': 'application/json' },
      };
    });

  const wrongType = fc.oneof(
    fc
      .oneof(
        fc.jsonValue({ maxDepth: 1 }).filter(v => typeof v !== 'string'),
        fc.constant(''),
        fc.constant('x'.repeat(513)),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), rolloutId: v },
          /^rolloutId: /,
        ),
      ),
    fc
      .oneof(
        fc
          .jsonValue({ maxDepth: 1 })
          .filter(v => typeof v !== 'object' || v === null || Array.isArray(v)),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), route: v },
          /^route: /,
        ),
      ),
    fc
      .oneof(
        notAWeight.filter(
          v => !(typeof v === 'number' && Number.isInteger(v) && v >= 0),
        ),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), route: { kind: 'http', index: v } },
          /^route\.index: /,
        ),
      ),
    fc
      .oneof(anyText, fc.constantFrom('HTTP', 'grpc', 'udp'))
      .filter(k => !['http', 'tls', 'tcp'].includes(k))
      .map(k =>
        post(
          'top-level field of a wrong type',
          { ...base(), route: { kind: k, index: 0 } },
          /^route\.kind: /,
        ),
      ),
    fc
      .oneof(
        fc.jsonValue({ maxDepth: 1 }).filter(v => typeof v !== 'string'),
        fc.constant(''),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), resourceVersion: v },
          /^resourceVersion: /,
        ),
      ),
    fc
      .jsonValue({ maxDepth: 1 })
      .filter(v => typeof v !== 'boolean')
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), dryRun: v },
          /^dryRun: /,
        ),
      ),
    fc
      .oneof(
        fc
          .jsonValue({ maxDepth: 1 })
          .filter(v => typeof v !== 'string' && v !== null),
        fc.constant('r'.repeat(2001)),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), reason: v },
          /^reason: /,
        ),
      ),
    fc
      .oneof(
        fc.jsonValue({ maxDepth: 1 }).filter(v => typeof v !== 'string'),
        fc.constant(''),
        fc.constant('s'.repeat(64)),
      )
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), action: 'promote', weights: undefined, subset: v },
          /^subset: /,
        ),
      ),
    fc
      .jsonValue({ maxDepth: 1 })
      .filter(v => typeof v !== 'object' || v === null || Array.isArray(v))
      .map(v =>
        post(
          'top-level field of a wrong type',
          { ...base(), weights: v },
          /^weights: /,
        ),
      ),
  );

  const megabyte = fc
    .constantFrom('reason', 'extra', 'weights', 'resourceVersion')
    .map(where => {
      const big = 'x'.repeat(1024 * 1024);
      const body: Record<string, unknown> = base();
      if (where === 'weights') {
        body.weights = Object.fromEntries(
          Array.from({ length: 100_000 }, (_, i) => [`s${i}`, 0]),
        );
      } else {
        body[where] = big;
      }
      return post('1 MB body', body, /too large/i, [400, 413]);
    });

  // Under the body limit, but far bigger than any real value: refused, not echoed.
  const nearLimit = fc
    .constantFrom(
      'resourceVersion',
      'route.name',
      'weights',
      'subset',
      'rolloutId',
    )
    .map(where => {
      const long = 'y'.repeat(90 * 1024);
      const body: Record<string, any> = base();
      let message = new RegExp(`^${where.replace('.', '\\.')}: `);
      if (where === 'route.name') body.route = { kind: 'http', name: long };
      else if (where === 'weights') {
        body.weights = Object.fromEntries(
          Array.from({ length: 6000 }, (_, i) => [`s${i}`, i === 0 ? 100 : 0]),
        );
        message = /^weights/;
      } else if (where === 'subset') {
        body.action = 'promote';
        delete body.weights;
        body.subset = long;
      } else body[where] = long;
      return post('long value under the body limit', body, message);
    });

  const notJson = fc
    .oneof(
      fc.constantFrom(
        '{',
        '{"action":',
        '[1,2',
        "{'a':1}",
        'null x',
        '\u0000',
        '{"weights":{"v1":80,,}}',
      ),
      fc.string({ minLength: 1, maxLength: 30 }).filter(s => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    )
    .map(raw => ({
      ...post(
        'body that is not JSON',
        undefined,
        /JSON|Unexpected|token|position/i,
      ),
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    }));

  const notAnObject = fc
    .oneof(
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      fc.integer(),
      fc.constant('string'),
      fc.constant(true),
    )
    .map(v =>
      post('body that is not an object', v, /^body: |is required|JSON/),
    );

  const wrongContentType = fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data',
    )
    .map(type => ({
      ...post(
        'body with the wrong content type',
        undefined,
        /media type|is required|content|body/i,
        [400, 415],
      ),
      rawBody: JSON.stringify(base()),
      headers: { 'content-type': type },
    }));

  // Well-formed, but not an action the route allows: the planner refuses after reading.
  const semantic = fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
      .filter(([a, b]) => a + b !== 100)
      .map(([a, b]) =>
        post(
          'weights that do not fit the route',
          { ...base(), weights: { v1: a, v2: b } },
          /^weights: must add up to 100/,
        ),
      ),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter(s => !['v1', 'v2'].includes(s) && !s.includes('.'))
      .map(s =>
        post(
          'weights that do not fit the route',
          { ...base(), weights: { v1: 80, [s]: 20 } },
          /^weights/,
        ),
      ),
    fc
      .integer({ min: 1, max: 1_000_000 })
      .map(i =>
        post(
          'route that does not exist',
          { ...base(), route: { kind: 'http', index: i } },
          /^route: /,
        ),
      ),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter(s => s !== 'reviews-route')
      .map(name =>
        post(
          'route that does not exist',
          { ...base(), route: { kind: 'http', name } },
          /^route: /,
        ),
      ),
    fc
      .constantFrom('tls', 'tcp')
      .map(kind =>
        post(
          'route that does not exist',
          { ...base(), route: { kind, index: 0 } },
          /^route: /,
        ),
      ),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter(s => !['v1', 'v2', 'v3'].includes(s))
      .map(subset =>
        post(
          'subset that does not exist',
          { ...base(), weights: undefined, action: 'promote', subset },
          /^subset: /,
        ),
      ),
    fc.constant(
      post(
        'subset that does not exist',
        { ...base(), weights: undefined, action: 'promote' },
        /^subset: /,
      ),
    ),
    fc.constant(
      post(
        'action the route does not allow',
        { ...base(), weights: undefined, action: 'switch' },
        /^route: .*switch needs/,
      ),
    ),
  );

  const rolloutIds = fc
    .oneof(
      fc.constantFrom(
        'demo-east/bookinfo/../default/web-service',
        'demo-east/../../etc/passwd',
        'demo-east//reviews',
        '/bookinfo/reviews',
        'demo-east/bookinfo/',
        'demo-north/bookinfo/reviews',
        'demo-east/bookinfo/reviews/',
        'demo-east/staging/reviews',
        'demo-east/default/web-service',
        'demo-east/bookinfo/ratings',
        'DEMO-EAST/bookinfo/reviews',
        'demo-east/bookinfo/reviews\u0000',
        'demo-east/bookinfo/révïews',
        'demo-east/bookinfo/reviews%2f..',
        'reviews',
      ),
      fc
        .tuple(
          fc.oneof(anyText, traversal),
          fc.oneof(anyText, traversal),
          fc.oneof(anyText, traversal),
        )
        .map(parts => parts.join('/')),
      anyText,
    )
    .filter(id => id !== REVIEWS && id.length > 0)
    .map(rolloutId =>
      post(
        'crafted rolloutId',
        { ...base(), rolloutId },
        /^rolloutId: |has no rollout|No rollout/,
        [400, 404],
      ),
    );

  const segment = fc.oneof(
    anyText.filter(s => s.length > 0).map(s => pct(s)),
    traversal,
    fc.constantFrom(
      'x'.repeat(5000),
      'reviews%20',
      'user',
      'group',
      '%20',
      '%E2%80%AE',
    ),
  );
  const entityPaths = fc
    .tuple(
      fc.integer({ min: 0, max: 2 }),
      segment,
      fc.constantFrom('rollouts', 'rollouts/history', 'rollouts/actions'),
    )
    .filter(([, s]) => s !== 'reviews' && s !== 'component' && s !== 'default')
    .map(([position, s, tail]) => {
      const parts = ['component', 'default', 'reviews'];
      parts[position] = s;
      const path = `${API}/entities/${parts.join('/')}/${tail}`;
      return tail === 'rollouts/actions'
        ? {
            category: 'invalid entity ref or path',
            method: 'POST',
            path,
            body: base(),
            message: /kind|namespace|name|not found|no endpoint|malformed uri/i,
            statuses: [400, 404],
          }
        : {
            category: 'invalid entity ref or path',
            method: 'GET',
            path,
            message: /kind|namespace|name|not found|no endpoint|malformed uri/i,
            statuses: [400, 404],
          };
    });

  const historyQuery = fc.oneof(
    fc
      .oneof(
        fc.constantFrom(
          '0',
          '-1',
          '101',
          '1.5',
          'abc',
          'NaN',
          '1e9',
          '',
          '%00',
          '99999999999999999999',
        ),
        anyText.map(pct),
      )
      .filter(v => !/^([1-9][0-9]?|100)$/.test(v))
      .map(v => ({
        category: 'invalid query parameter',
        method: 'GET',
        path: `${entityPath('reviews')}/rollouts/history?limit=${v}`,
        message: /limit/,
        statuses: [400],
      })),
    fc
      .oneof(
        fc.constantFrom(
          "' OR 1=1 --",
          '-1',
          'abc',
          '1;DROP TABLE rollout_history',
          '9'.repeat(19),
          '',
        ),
        anyText,
      )
      .filter(v => !/^[0-9]{1,18}$/.test(v))
      .map(v => ({
        category: 'invalid query parameter',
        method: 'GET',
        path: `${entityPath('reviews')}/rollouts/history?cursor=${pct(v)}`,
        message: /cursor/,
        statuses: [400],
      })),
    fc
      .tuple(
        fc.constantFrom('rollouts', 'rollouts/history'),
        fc
          .stringMatching(/^[a-z][a-zA-Z]{0,12}$/)
          .filter(p => !['limit', 'cursor'].includes(p)),
      )
      .map(([tail, p]) => ({
        category: 'invalid query parameter',
        method: 'GET',
        path: `${entityPath('reviews')}/${tail}?${p}=1`,
        message: new RegExp(p),
        statuses: [400],
      })),
  );

  const wrongMethod = fc
    .tuple(
      fc.constantFrom('PUT', 'DELETE', 'PATCH'),
      fc.constantFrom('rollouts', 'rollouts/actions', 'rollouts/history'),
    )
    .map(([method, tail]) => ({
      category: 'wrong method',
      method,
      path: `${entityPath('reviews')}/${tail}`,
      body: base(),
      message: /not found|not allowed|method/i,
      statuses: [404, 405],
    }));

  return fc
    .oneof(
      { arbitrary: wrongWeight, weight: 4 },
      { arbitrary: unknownAction, weight: 2 },
      { arbitrary: missingField, weight: 2 },
      { arbitrary: extraField, weight: 3 },
      { arbitrary: wrongType, weight: 6 },
      { arbitrary: megabyte, weight: 1 },
      { arbitrary: nearLimit, weight: 1 },
      { arbitrary: notJson, weight: 2 },
      { arbitrary: notAnObject, weight: 1 },
      { arbitrary: wrongContentType, weight: 1 },
      { arbitrary: semantic, weight: 4 },
      { arbitrary: rolloutIds, weight: 4 },
      { arbitrary: entityPaths, weight: 4 },
      { arbitrary: historyQuery, weight: 3 },
      { arbitrary: wrongMethod, weight: 1 },
    )
    .map(attack =>
      // Counterexamples are printed short: some bodies are a megabyte.
      Object.assign(attack, {
        [fc.toStringMethod]: () => summarize(attack),
      }),
    );
}

/** An attack in one line of at most a few hundred characters. */
function summarize(attack: Attack): string {
  const body =
    attack.rawBody ??
    (attack.body === undefined ? '' : JSON.stringify(attack.body));
  return `${attack.category}: ${attack.method} ${attack.path.slice(
    0,
    200,
  )} ${body.slice(0, 300)}${
    body.length > 300 ? `… (${body.length} characters)` : ''
  }`;
}

describe('bad input', () => {
  const run = runDir('bad-input');
  let east: SimCluster;
  let backend: Backend;
  let token: string;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    east = await startCluster({
      name: 'demo-east',
      manifestPaths: demoManifests('demo-east', 'lookalikes'),
    });
    backend = await Backend.start({ dir: run.dir, clusters: [east] });
    token = await backend.signIn(GUEST);
  });

  afterAll(async () => {
    if (results.requests) await recordResults('badInput', results);
    await backend?.stop();
    await east?.sim.close();
    closeConnections();
    run.cleanup();
  });

  it(`answers ${RUNS} generated malformed requests with a 4xx naming the problem, writes nothing, and stays healthy`, async () => {
    const rollout = await loadRollout(backend, 'reviews', REVIEWS, token);
    // Warm up (code paths, caches, connections) before the memory baseline.
    for (let i = 0; i < 30; i++) {
      await act(
        backend,
        'reviews',
        {
          rolloutId: REVIEWS,
          action: 'switch',
          resourceVersion: rollout.resourceVersion,
        },
        token,
      );
    }
    const storeVersion = east.sim.store.resourceVersion;
    east.sim.requests.clear();
    let tried: Array<{ category: string; status: number }> = [];
    const seed = Date.now() % 2 ** 31;
    let writesSeen = 0;

    /** One malformed request: a 4xx naming the problem, no write, no echo of a huge value. */
    const probe = async (attack: Attack) => {
      const res = await request(backend.baseUrl, attack.method, attack.path, {
        token,
        body: attack.body,
        rawBody: attack.rawBody,
        headers: attack.headers,
      });
      tried.push({ category: attack.category, status: res.status });
      // The request log holds 10,000 entries: read it as we go.
      writesSeen += east.writes().length;
      if (east.sim.requests.list().length > 5000) east.sim.requests.clear();
      const message: string = res.body?.error?.message ?? '';
      if (
        !attack.statuses.includes(res.status) ||
        !attack.message.test(message) ||
        writesSeen > 0
      ) {
        if (process.env.RELIABILITY_EXPLORE) {
          // eslint-disable-next-line no-console
          console.log(
            `${summarize(attack)} answered ${res.status} ${res.text.slice(
              0,
              300,
            )}`,
          );
          return;
        }
        throw new Error(
          `${summarize(attack)} answered ${res.status} ${res.text.slice(
            0,
            300,
          )} (writes: ${writesSeen})`,
        );
      }
      // A refusal never echoes a huge value back. (Backstage's error body
      // also repeats the request URL, bounded by Node's 16 KB header limit.)
      expect(message.length).toBeLessThan(1024);
    };
    // Warm up with a first round of the same requests (their 1 MB bodies grow the heap once), so the memory
    // baseline is taken where a leak, not the heap's first growth, would show.
    await fc.assert(fc.asyncProperty(attacks(rollout.resourceVersion), probe), {
      numRuns: WARM_UP_RUNS,
      seed: seed + 1,
    });
    tried = [];
    const rssBefore = backend.rssKb();

    await fc.assert(fc.asyncProperty(attacks(rollout.resourceVersion), probe), {
      numRuns: RUNS,
      seed,
    });

    writesSeen += east.writes().length;
    expect(writesSeen).toBe(0);
    expect(east.sim.store.resourceVersion).toBe(storeVersion);

    // Still healthy, still answering, within a sane margin of the memory it had.
    const health = await backend.get('/.backstage/health/v1/readiness');
    expect(health.status).toBe(200);
    const after = await loadRollout(backend, 'reviews', REVIEWS, token);
    expect(after.resourceVersion).toBe(rollout.resourceVersion);
    const rssAfter = backend.rssKb();
    const growthMb = (rssAfter - rssBefore) / 1024;
    expect(growthMb).toBeLessThan(150);

    const statuses = countBy(tried, t => t.status);
    expect(Object.keys(statuses).every(s => s.startsWith('4'))).toBe(true);
    Object.assign(results, {
      requests: tried.length,
      warmUpRequests: WARM_UP_RUNS,
      seed,
      byCategory: countBy(tried, t => t.category),
      statuses,
      writesObserved: writesSeen,
      rssBeforeMb: Math.round(rssBefore / 1024),
      rssAfterMb: Math.round(rssAfter / 1024),
      rssGrowthMb: Math.round(growthMb),
      healthyAfterwards: health.status === 200,
    });
  });

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    const check = await unrecordedChanges(backend, [east]);
    results.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
  });
});
