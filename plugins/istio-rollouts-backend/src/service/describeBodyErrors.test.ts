import { InputError, NotFoundError } from '@backstage/errors';
import { spec } from '../schema/openapi/generated/router';
import { describeBodyErrors } from './describeBodyErrors';

const describe_ = (message: string, body: unknown = {}) =>
  (
    describeBodyErrors(
      new InputError(message),
      body,
      spec,
      'ActionRequest',
    ) as Error
  ).message;

describe('describeBodyErrors', () => {
  it('names fields the way the planner does', () => {
    expect(describe_('request/body/weights/v1 must be integer')).toBe(
      'weights.v1: must be integer',
    );
    expect(describe_('request/body/weights/v1 must be <= 100')).toBe(
      'weights.v1: must be <= 100',
    );
    expect(
      describe_(
        'request/body/route/kind must be equal to one of the allowed values: http, tls, tcp',
      ),
    ).toBe(
      'route.kind: must be equal to one of the allowed values: http, tls, tcp',
    );
  });

  it('names a missing field as required', () => {
    expect(
      describe_("request/body must have required property 'resourceVersion'"),
    ).toBe('resourceVersion: is required');
    expect(
      describe_("request/body/route must have required property 'kind'"),
    ).toBe('route.kind: is required');
  });

  it('names the unknown fields, and the fields there are', () => {
    expect(
      describe_('request/body must NOT have additional properties', {
        rolloutId: 'a/b/c',
        force: true,
        dry: 1,
      }),
    ).toBe(
      'force: is not a field here (the fields are rolloutId, route, action, weights, subset, resourceVersion, reason, dryRun); ' +
        'dry: is not a field here (the fields are rolloutId, route, action, weights, subset, resourceVersion, reason, dryRun)',
    );
    expect(
      describe_('request/body/route must NOT have additional properties', {
        route: { kind: 'http', port: 80 },
      }),
    ).toBe(
      'route.port: is not a field here (the fields are kind, index, name)',
    );
  });

  it('words every message of a refusal, keeping other parts as they are', () => {
    expect(
      describe_(
        'request/body/weights/v1 must be integer, request/body/action must be equal to one of the allowed values: setWeights, promote',
      ),
    ).toBe(
      'weights.v1: must be integer; action: must be equal to one of the allowed values: setWeights, promote',
    );
  });

  it('leaves other errors alone', () => {
    const query = new InputError("Unknown query parameter 'page'");
    expect(describeBodyErrors(query, {}, spec, 'ActionRequest')).toBe(query);
    const notFound = new NotFoundError('request/body is gone');
    expect(describeBodyErrors(notFound, {}, spec, 'ActionRequest')).toBe(
      notFound,
    );
  });
});
