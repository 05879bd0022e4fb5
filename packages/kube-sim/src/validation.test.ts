import { findResource } from './resources';
import { KubeApiError } from './status';
import {
  formatMultiError,
  istioWebhookErrors,
  loadValidator,
  pointerToField,
  schemaErrors,
  Validator,
} from './validation';

const VS = findResource('networking.istio.io', 'v1', 'virtualservices')!;
const DR = findResource('networking.istio.io', 'v1', 'destinationrules')!;
const GW = findResource('networking.istio.io', 'v1', 'gateways')!;
const DEPLOY = findResource('apps', 'v1', 'deployments')!;
const NS = findResource('', 'v1', 'namespaces')!;

function vs(route: unknown[], extra: Record<string, unknown> = {}) {
  return {
    metadata: { name: 'reviews', namespace: 'bookinfo' },
    spec: { hosts: ['reviews'], http: [{ route }], ...extra },
  };
}
const dest = (subset: string, weight?: number) => ({
  destination: { host: 'reviews', subset },
  ...(weight === undefined ? {} : { weight }),
});

let validate: Validator;
beforeAll(async () => {
  validate = await loadValidator();
});

function status(fn: () => void) {
  try {
    fn();
  } catch (e) {
    return (e as KubeApiError).status;
  }
  return undefined;
}

describe('Istio schema validation (@kubernetes-models/istio)', () => {
  it.each(['v1', 'v1beta1', 'v1alpha3'])(
    'accepts a valid VirtualService at %s',
    version => {
      expect(() =>
        validate(VS, version, vs([dest('v1', 90), dest('v2', 10)])),
      ).not.toThrow();
    },
  );

  it('rejects a wrong type as 422 FieldValueTypeInvalid', () => {
    const s = status(() =>
      validate(VS, 'v1', {
        metadata: { name: 'reviews' },
        spec: { hosts: 'reviews', http: [] },
      }),
    );
    expect(s).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'VirtualService.networking.istio.io "reviews" is invalid: spec.hosts: Invalid value: "string": spec.hosts in body must be of type array: "string"',
      details: {
        name: 'reviews',
        group: 'networking.istio.io',
        kind: 'VirtualService',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            field: 'spec.hosts',
            message:
              'Invalid value: "string": spec.hosts in body must be of type array: "string"',
          },
        ],
      },
    });
  });

  it('rejects a missing required field as FieldValueRequired', () => {
    const s = status(() =>
      validate(
        VS,
        'v1beta1',
        vs([{ destination: { subset: 'v1' }, weight: 100 }]),
      ),
    );
    expect(s?.details?.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.http[0].route[0].destination.host',
      },
    ]);
  });

  it('rejects a non-integer weight', () => {
    const s = status(() =>
      validate(VS, 'v1alpha3', vs([dest('v1', 'ten' as unknown as number)])),
    );
    expect(s?.details?.causes?.[0]).toMatchObject({
      field: 'spec.http[0].route[0].weight',
      reason: 'FieldValueTypeInvalid',
    });
  });

  it('maps pointers and ajv errors', () => {
    expect(pointerToField('/spec/http/0/route/1/weight')).toBe(
      'spec.http[0].route[1].weight',
    );
    expect(pointerToField('/metadata/labels/a~1b')).toBe('metadata.labels.a/b');
    expect(
      schemaErrors({ spec: { mode: 'X' } }, [
        {
          instancePath: '/spec/mode',
          keyword: 'enum',
          params: { allowedValues: ['A', 'B'] },
        },
        {
          instancePath: '/spec/mode',
          keyword: 'enum',
          params: { allowedValues: ['A', 'B'] },
        },
      ]),
    ).toEqual([
      {
        field: 'spec.mode',
        reason: 'FieldValueNotSupported',
        detail: 'Unsupported value: "X": supported values: "A", "B"',
      },
    ]);
  });
});

describe('Istio webhook rules', () => {
  it('rejects a negative weight with the webhook message', () => {
    const s = status(() =>
      validate(VS, 'v1', vs([dest('v1', 110), dest('v2', -10)])),
    );
    expect(s).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'admission webhook "validation.istio.io" denied the request: configuration is invalid: weight -10 < 0',
      details: {
        causes: [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.http[0].route[1].weight',
            message: 'weight -10 < 0',
          },
        ],
      },
    });
  });

  it('rejects several destinations whose weights total 0', () => {
    const s = status(() =>
      validate(VS, 'v1', vs([dest('v1', 0), dest('v2', 0)])),
    );
    expect(s?.message).toContain('total destination weight = 0');
    expect(s?.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.http[0].route',
        message: 'total destination weight = 0',
      },
    ]);
    // Omitted weights are 0 too.
    expect(
      status(() => validate(VS, 'v1', vs([dest('v1'), dest('v2')])))?.code,
    ).toBe(400);
  });

  it.each([
    ['a single destination without weight', [dest('v1')]],
    ['a single destination with weight 0', [dest('v1', 0)]],
    ['weights that total 100', [dest('v1', 80), dest('v2', 20)]],
    [
      'weights that total less than 100 (relative weights)',
      [dest('v1', 1), dest('v2', 1)],
    ],
    ['weights that total more than 100', [dest('v1', 150), dest('v2', 50)]],
    ['a zero weight next to a positive one', [dest('v1', 0), dest('v2', 100)]],
  ])('accepts %s', (_, route) => {
    expect(() => validate(VS, 'v1', vs(route))).not.toThrow();
  });

  it('formats several errors like go-multierror', () => {
    const s = status(() =>
      validate(VS, 'v1', vs([dest('v1', -1), dest('v2', -2)])),
    );
    expect(s?.message).toBe(
      'admission webhook "validation.istio.io" denied the request: configuration is invalid: 2 errors occurred:\n\t* weight -1 < 0\n\t* weight -2 < 0\n\n',
    );
    expect(formatMultiError(['only'])).toBe('only');
  });

  it('checks the other rules it knows', () => {
    expect(
      istioWebhookErrors('VirtualService', {
        metadata: {},
        spec: { hosts: ['r'] },
      }),
    ).toEqual([
      {
        field: 'spec',
        message: 'http, tcp or tls must be provided in virtual service',
      },
    ]);
    expect(
      istioWebhookErrors(
        'VirtualService',
        vs([dest('v1')], { hosts: ['*'] }) as never,
      )[0].message,
    ).toContain('wildcard host *');
    expect(
      istioWebhookErrors('VirtualService', vs([dest('V_1')]) as never),
    ).toEqual([
      {
        field: 'spec.http[0].route[0].destination.subset',
        message: 'subset name is invalid: V_1',
      },
    ]);
    expect(
      istioWebhookErrors('VirtualService', {
        metadata: {},
        spec: { hosts: ['r'], tcp: [{ route: [dest('a', 0), dest('b', 0)] }] },
      }),
    ).toEqual([
      { field: 'spec.tcp[0].route', message: 'total destination weight = 0' },
    ]);
    expect(
      status(() =>
        validate(DR, 'v1', {
          metadata: { name: 'r' },
          spec: { host: 'r', subsets: [{ name: 'Bad_Name' }] },
        }),
      )?.message,
    ).toContain('subset name is invalid: Bad_Name');
    expect(
      status(() => validate(GW, 'v1', { metadata: { name: 'g' }, spec: {} }))
        ?.message,
    ).toContain('gateway must have at least one server');
  });
});

describe('metadata validation', () => {
  it('requires a name', () => {
    expect(
      status(() => validate(DEPLOY, 'v1', { metadata: {} })),
    ).toMatchObject({
      code: 422,
      message:
        'Deployment.apps "" is invalid: metadata.name: Required value: name or generateName is required',
    });
  });

  it('requires DNS-1123 names (labels for namespaces)', () => {
    expect(
      status(() => validate(DEPLOY, 'v1', { metadata: { name: 'Bad_Name' } }))
        ?.details?.causes?.[0],
    ).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
    });
    expect(() =>
      validate(DEPLOY, 'v1', { metadata: { name: 'a.b' } }),
    ).not.toThrow();
    expect(
      status(() => validate(NS, 'v1', { metadata: { name: 'a.b' } }))?.code,
    ).toBe(422);
  });

  it('checks label syntax', () => {
    expect(
      status(() =>
        validate(DEPLOY, 'v1', {
          metadata: { name: 'd', labels: { app: 'not ok' } },
        }),
      )?.code,
    ).toBe(422);
  });
});
