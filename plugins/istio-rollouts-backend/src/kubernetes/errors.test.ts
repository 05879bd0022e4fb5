import { ApiException, FetchError } from '@kubernetes/client-node';
import {
  ClusterReadError,
  describeClusterError,
  kubeStatusCode,
  kubeStatusMessage,
} from './errors';

const cluster = { name: 'east', url: 'https://east.example.com' };

function status(code: number, message: string) {
  return new ApiException(
    code,
    'Unknown API Status Code!',
    JSON.stringify({ kind: 'Status', status: 'Failure', message, code }),
    {},
  );
}

describe('describeClusterError', () => {
  it('words a 401 as Unauthorized, naming the cluster and the token', () => {
    expect(
      describeClusterError(
        cluster,
        new ApiException(401, 'Unauthorized', undefined, {}),
      ),
    ).toEqual({
      reason: 'Unauthorized',
      message:
        `Cluster "east" rejected the plugin's credentials (401 Unauthorized); ` +
        'check its serviceAccountToken',
    });
  });

  it("words a 403 as Forbidden, with the API server's RBAC message", () => {
    const message =
      'virtualservices.networking.istio.io is forbidden: User "viewer" cannot list resource "virtualservices"';
    expect(describeClusterError(cluster, status(403, message))).toEqual({
      reason: 'Forbidden',
      message: expect.stringMatching(
        /^Cluster "east" refused the plugin's service account \(403 Forbidden\).*: virtualservices\.networking\.istio\.io is forbidden/,
      ),
    });
  });

  it('words a 5xx as ServerError', () => {
    expect(
      describeClusterError(
        cluster,
        status(500, 'etcdserver: request timed out'),
      ),
    ).toEqual({
      reason: 'ServerError',
      message: 'Cluster "east" answered 500: etcdserver: request timed out',
    });
  });

  it('words a refused connection as Unreachable, without the address it dialled', () => {
    const error = new FetchError(
      'request to https://east.example.com/apis failed, reason: connect ECONNREFUSED 10.0.0.1:443',
      'system',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
        code: 'ECONNREFUSED',
      }),
    );
    expect(describeClusterError(cluster, error)).toEqual({
      reason: 'Unreachable',
      message: 'Cluster "east" is unreachable (ECONNREFUSED)',
    });
  });

  it('never shows a URL the error quotes', () => {
    const error = new Error(
      'request to https://10.1.2.3:6443/apis/networking.istio.io failed: boom',
    );
    expect(describeClusterError(cluster, error)).toEqual({
      reason: 'Unknown',
      message:
        'Cluster "east" could not be read: request to (the API server) failed: boom',
    });
  });

  it('keeps the reason and message of errors the plugin raised itself', () => {
    expect(
      describeClusterError(
        cluster,
        new ClusterReadError('IstioNotInstalled', 'no Istio in east'),
      ),
    ).toEqual({ reason: 'IstioNotInstalled', message: 'no Istio in east' });
  });

  it('words a body that is not JSON as InvalidResponse', () => {
    expect(
      describeClusterError(cluster, new SyntaxError('Unexpected token <')),
    ).toEqual({
      reason: 'InvalidResponse',
      message: expect.stringContaining('not Kubernetes JSON'),
    });
  });

  it('falls back to Unknown with the error message', () => {
    expect(describeClusterError(cluster, new Error('surprise'))).toEqual({
      reason: 'Unknown',
      message: 'Cluster "east" could not be read: surprise',
    });
  });
});

describe('kubeStatusCode and kubeStatusMessage', () => {
  it('read an ApiException', () => {
    const e = status(404, 'virtualservices.networking.istio.io not found');
    expect(kubeStatusCode(e)).toBe(404);
    expect(kubeStatusMessage(e)).toBe(
      'virtualservices.networking.istio.io not found',
    );
  });

  it('ignore errors that are not API answers', () => {
    expect(kubeStatusCode(new Error('x'))).toBeUndefined();
    expect(
      kubeStatusCode(Object.assign(new Error('x'), { code: 'ECONNRESET' })),
    ).toBeUndefined();
    expect(kubeStatusMessage(new Error('x'))).toBeUndefined();
  });

  it('use a plain-text body as the message', () => {
    expect(
      kubeStatusMessage(new ApiException(502, 'x', 'Bad Gateway\n', {})),
    ).toBe('Bad Gateway');
  });
});
