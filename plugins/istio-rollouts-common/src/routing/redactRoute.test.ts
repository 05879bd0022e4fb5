import { parseDestinations } from './parseVirtualService';
import { redactRouteStanza } from './redactRoute';

const destination = (subset: string) => ({
  host: 'reviews.bookinfo.svc.cluster.local',
  subset,
  port: { number: 9080 },
});

describe('redactRouteStanza', () => {
  it('keeps the name, the destinations and their weights, and drops header values, header rewrites, retries and faults', () => {
    const stanza = {
      name: 'reviews-route',
      match: [
        {
          uri: { prefix: '/reviews' },
          headers: { authorization: { exact: 'Bearer s3cr3t' } },
        },
      ],
      headers: {
        request: { set: { 'x-api-token': 'tok-123' } },
        response: { remove: ['server'] },
      },
      retries: { attempts: 3, perTryTimeout: '2s' },
      fault: { abort: { httpStatus: 503, percentage: { value: 1 } } },
      corsPolicy: { allowOrigins: [{ exact: 'https://example.com' }] },
      rewrite: { uri: '/' },
      timeout: '10s',
      route: [
        {
          destination: destination('v1'),
          weight: 90,
          headers: { request: { set: { 'x-canary': 'no' } } },
        },
        { destination: destination('v2'), weight: 10 },
      ],
    };
    expect(redactRouteStanza(stanza)).toEqual({
      name: 'reviews-route',
      route: [
        { destination: destination('v1'), weight: 90 },
        { destination: destination('v2'), weight: 10 },
      ],
    });
    expect(JSON.stringify(redactRouteStanza(stanza))).not.toMatch(
      /s3cr3t|tok-123|x-canary|attempts|abort|example\.com|10s/,
    );
  });

  it('keeps mirrors in both the legacy and the list form, with their percentages', () => {
    expect(
      redactRouteStanza({
        route: [{ destination: { host: 'reviews' } }],
        mirror: { host: 'reviews', subset: 'v3', port: { number: 9080 } },
        mirrorPercentage: { value: 5.5 },
        mirrors: [
          {
            destination: { host: 'shadow', subset: 'v4' },
            percentage: { value: 20 },
          },
        ],
      }),
    ).toEqual({
      route: [{ destination: { host: 'reviews' } }],
      mirror: { host: 'reviews', subset: 'v3', port: { number: 9080 } },
      mirrorPercentage: { value: 5.5 },
      mirrors: [
        {
          destination: { host: 'shadow', subset: 'v4' },
          percentage: { value: 20 },
        },
      ],
    });
    expect(
      redactRouteStanza({ mirror: { host: 'reviews' }, mirrorPercent: 50 }),
    ).toEqual({ mirror: { host: 'reviews' }, mirrorPercent: 50 });
  });

  it('keeps the delegate of a delegating route', () => {
    expect(
      redactRouteStanza({
        match: [{ uri: { prefix: '/api' } }],
        delegate: { name: 'reviews-api', namespace: 'bookinfo', extra: 1 },
      }),
    ).toEqual({ delegate: { name: 'reviews-api', namespace: 'bookinfo' } });
  });

  it('keeps tls and tcp routes to their destinations, without their SNI or port matches', () => {
    expect(
      redactRouteStanza({
        match: [{ port: 443, sniHosts: ['internal.example.com'] }],
        route: [{ destination: { host: 'db', port: { number: 5432 } } }],
      }),
    ).toEqual({
      route: [{ destination: { host: 'db', port: { number: 5432 } } }],
    });
  });

  it('reads as the same split as the raw stanza', () => {
    const raw = {
      match: [{ headers: { 'x-deploy': { exact: 'green' } } }],
      route: [
        { destination: destination('blue'), weight: 0 },
        { destination: destination('green'), weight: 100 },
      ],
    };
    expect(
      parseDestinations((redactRouteStanza(raw) as { route: unknown }).route),
    ).toEqual(parseDestinations(raw.route));
  });

  it('is idempotent, so rows redacted when written can be redacted again when read', () => {
    const raw = {
      name: 'r',
      headers: { request: { set: { token: 'x' } } },
      route: [{ destination: destination('v1'), weight: 100 }],
      mirror: { host: 'm' },
      mirrors: [{ destination: { host: 'n' } }],
      delegate: { name: 'd' },
    };
    const once = redactRouteStanza(raw);
    expect(redactRouteStanza(once)).toEqual(once);
  });

  it.each([
    ['null', null, null],
    ['undefined', undefined, undefined],
    ['a string', 'spec.http[0]', {}],
    ['an array', [{ name: 'r' }], {}],
  ])('answers %s with nothing it could leak', (_, stanza, expected) => {
    expect(redactRouteStanza(stanza)).toEqual(expected);
  });

  it('drops values of a type the read model would not show, and keeps positions of malformed destinations', () => {
    expect(
      redactRouteStanza({
        name: { evil: 'object' },
        route: [
          'not-a-destination',
          { destination: { host: 'a', subset: 7 }, weight: '50' },
        ],
      }),
    ).toEqual({ route: [{}, { destination: { host: 'a' } }] });
  });
});
