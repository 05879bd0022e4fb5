import { ApiException } from '@kubernetes/client-node';
import { ClusterReadError } from '../kubernetes';
import { describePatchFailure } from './patchFailure';

const target = {
  cluster: { name: 'demo-east', url: 'https://east.example.com' },
  patch: {
    kind: 'VirtualService' as const,
    namespace: 'bookinfo',
    name: 'reviews',
  },
  resourceVersion: '41',
};

const status = (code: number, body: object) =>
  new ApiException(code, 'failed', JSON.stringify(body), {});

describe('describePatchFailure', () => {
  it('says whom the cluster refused when it was asked to impersonate the user', () => {
    const error = describePatchFailure(
      {
        ...target,
        impersonate: {
          user: 'user:default/guest',
          groups: ['group:default/team-bookinfo'],
        },
      },
      status(403, {
        reason: 'Forbidden',
        message:
          'virtualservices.networking.istio.io "reviews" is forbidden: User "user:default/guest" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
      }),
    );
    expect(error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'Cluster "demo-east" does not let user:default/guest (groups group:default/team-bookinfo) change VirtualService bookinfo/reviews: ' +
        'its RBAC refused the change (403 Forbidden): virtualservices.networking.istio.io "reviews" is forbidden: ' +
        'User "user:default/guest" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo". Nothing was changed.',
    });
  });

  it('reads a 409 as a change since the user loaded the object', () => {
    const error = describePatchFailure(
      target,
      status(409, {
        reason: 'Conflict',
        message: 'the object has been modified',
      }),
    );
    expect(error).toMatchObject({
      name: 'ConflictError',
      reason: 'Changed',
      message:
        'VirtualService bookinfo/reviews in cluster "demo-east" was changed since you loaded it (resourceVersion 41); reload and try again.',
    });
  });

  it('reads a 422 from a failed test operation the same way', () => {
    // What an API server answers when a JSON Patch does not apply: a generic 422 whose causes name no field.
    for (const body of [
      {
        reason: 'Invalid',
        message:
          'the server rejected our request due to an error in our request',
        details: {},
      },
      {
        reason: 'Invalid',
        details: {
          causes: [
            {
              reason: 'UnexpectedServerResponse',
              message: 'testing value /spec/http/0/route/0/weight failed',
            },
          ],
        },
      },
    ]) {
      expect(describePatchFailure(target, status(422, body)).name).toBe(
        'ConflictError',
      );
    }
  });

  it('reads a 422 that names fields as the cluster refusing the object, not as a conflict', () => {
    const error = describePatchFailure(
      target,
      status(422, {
        reason: 'Invalid',
        message:
          'VirtualService.networking.istio.io "reviews" is invalid: spec.http[0].route[0].weight: Invalid value',
        details: {
          causes: [
            {
              field: 'spec.http[0].route[0].weight',
              reason: 'FieldValueInvalid',
            },
          ],
        },
      }),
    );
    expect(error.name).toBe('Error');
    expect(error.message).toMatch(
      /^Could not change VirtualService bookinfo\/reviews in cluster "demo-east"; caused by Error: Cluster "demo-east" answered 422: VirtualService.* is invalid/,
    );
  });

  it('reads a 404 as the object deleted since it was loaded', () => {
    expect(describePatchFailure(target, status(404, {}))).toMatchObject({
      name: 'ConflictError',
      reason: 'Deleted',
      message:
        'VirtualService bookinfo/reviews in cluster "demo-east" was deleted since you loaded it (resourceVersion 41); reload and try again.',
    });
  });

  it('reads a timeout as unavailable, and says the change may have landed', () => {
    const error = describePatchFailure(
      target,
      new ClusterReadError(
        'Timeout',
        'Cluster "demo-east" did not answer within 5000 ms',
      ),
    );
    expect(error).toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Cluster "demo-east" did not answer within 5000 ms; the change of VirtualService bookinfo/reviews may or may not have been applied: reload to see.',
    });
  });

  it('reads a server error or an unreachable cluster as unavailable, naming the cluster', () => {
    expect(
      describePatchFailure(target, status(500, { message: 'etcd is down' })),
    ).toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Could not change VirtualService bookinfo/reviews in cluster "demo-east": Cluster "demo-east" answered 500: etcd is down.',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
      type: 'system',
    });
    expect(describePatchFailure(target, refused)).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('is unreachable (ECONNREFUSED)'),
    });
  });

  it('forwards what else the cluster refused, with its reason', () => {
    const error = describePatchFailure(
      target,
      status(403, {
        message: 'virtualservices "reviews" is forbidden: cannot patch',
      }),
    );
    expect(error.name).toBe('Error');
    expect(error.message).toContain('(403 Forbidden); grant it the RBAC rules');
  });

  it('appends what became of earlier steps', () => {
    expect(
      describePatchFailure(
        target,
        status(409, {}),
        'Subset "v4" was removed again.',
      ).message,
    ).toMatch(/reload and try again\. Subset "v4" was removed again\.$/);
  });
});
