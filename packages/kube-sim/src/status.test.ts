import {
  alreadyExists,
  conflict,
  forbidden,
  genericStatus,
  invalid,
  notFound,
  patchRejected,
  success,
  unauthorized,
  unsupportedMediaType,
} from './status';

const VS = { group: 'networking.istio.io', resource: 'virtualservices' };

describe('Status errors', () => {
  it('words NotFound like the API server, omitting an empty group', () => {
    expect(notFound(VS, 'x').status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'virtualservices.networking.istio.io "x" not found',
      reason: 'NotFound',
      details: {
        name: 'x',
        group: 'networking.istio.io',
        kind: 'virtualservices',
      },
      code: 404,
    });
    expect(
      notFound({ group: '', resource: 'pods' }, 'p').status.details,
    ).toEqual({ name: 'p', kind: 'pods' });
    expect(notFound({ group: '', resource: 'pods' }, 'p').message).toBe(
      'pods "p" not found',
    );
  });

  it('words the optimistic-lock Conflict exactly', () => {
    const e = conflict(VS, 'reviews');
    expect(e.code).toBe(409);
    expect(e.status.reason).toBe('Conflict');
    expect(e.status.message).toBe(
      'Operation cannot be fulfilled on virtualservices.networking.istio.io "reviews": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('words AlreadyExists', () => {
    expect(alreadyExists(VS, 'reviews').status).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'virtualservices.networking.istio.io "reviews" already exists',
    });
  });

  it('words Invalid with the kind and joins several causes in brackets', () => {
    const gk = { group: 'networking.istio.io', kind: 'VirtualService' };
    const one = invalid(gk, 'r', [
      {
        field: 'spec.hosts',
        reason: 'FieldValueRequired',
        detail: 'Required value',
      },
    ]);
    expect(one.status.message).toBe(
      'VirtualService.networking.istio.io "r" is invalid: spec.hosts: Required value',
    );
    expect(one.status.details).toEqual({
      name: 'r',
      group: 'networking.istio.io',
      kind: 'VirtualService',
      causes: [
        {
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.hosts',
        },
      ],
    });
    const two = invalid(gk, 'r', [
      { field: 'a', reason: 'FieldValueRequired', detail: 'Required value' },
      { field: 'b', reason: 'FieldValueRequired', detail: 'Required value' },
    ]);
    expect(two.status.message).toBe(
      'VirtualService.networking.istio.io "r" is invalid: [a: Required value, b: Required value]',
    );
  });

  it('words Forbidden like the RBAC authorizer', () => {
    expect(
      forbidden({
        user: 'viewer',
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices',
        name: 'reviews',
        namespace: 'bookinfo',
      }).status,
    ).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'virtualservices.networking.istio.io "reviews" is forbidden: User "viewer" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
      details: {
        name: 'reviews',
        group: 'networking.istio.io',
        kind: 'virtualservices',
      },
    });
    expect(
      forbidden({ user: 'v', verb: 'list', group: '', resource: 'namespaces' })
        .message,
    ).toBe(
      'namespaces is forbidden: User "v" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('has the other canonical shapes', () => {
    expect(unauthorized().status).toMatchObject({
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
    expect(patchRejected().status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
    expect(unsupportedMediaType(['a', 'b']).status).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: a, b',
    });
    expect(
      success({ name: 'r', group: 'g', kind: 'virtualservices', uid: 'u' }),
    ).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'r', group: 'g', kind: 'virtualservices', uid: 'u' },
      code: 200,
    });
  });

  it.each([
    [503, 'ServiceUnavailable'],
    [500, 'InternalError'],
    [502, 'InternalError'],
    [429, 'TooManyRequests'],
    [404, 'NotFound'],
    [418, 'Unknown'],
  ])('maps fault status %i to reason %s', (code, reason) => {
    expect(genericStatus(code).status).toMatchObject({
      code,
      reason,
      status: 'Failure',
    });
  });
});
