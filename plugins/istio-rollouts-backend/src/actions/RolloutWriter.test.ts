import { mockServices } from '@backstage/backend-test-utils';
import type {
  ActionPlan,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import { ApiException } from '@kubernetes/client-node';
import { ClusterClient, ClusterClients, IstioObjectRef } from '../kubernetes';
import { fakeClusterClient } from '../__testUtils__/clusterClients';
import { RolloutWriter } from './RolloutWriter';

const cluster = {
  name: 'demo-east',
  url: 'https://east.example.com',
  skipTLSVerify: false,
  allowInsecureHttp: true,
  impersonate: false,
};

const drPatch = {
  kind: 'DestinationRule' as const,
  namespace: 'bookinfo',
  name: 'reviews',
  operations: [
    { op: 'replace' as const, path: '/metadata/resourceVersion', value: '7' },
    {
      op: 'add' as const,
      path: '/spec/subsets/-',
      value: { name: 'v4', labels: { version: 'v4' } },
    },
  ],
};
const vsPatch = {
  kind: 'VirtualService' as const,
  namespace: 'bookinfo',
  name: 'reviews',
  operations: [
    { op: 'replace' as const, path: '/metadata/resourceVersion', value: '41' },
    {
      op: 'add' as const,
      path: '/spec/http/0/route/-',
      value: { destination: { host: 'reviews', subset: 'v4' }, weight: 0 },
    },
  ],
};
const plan = {
  action: 'startCanary',
  route: { kind: 'http', index: 0 },
  patches: [drPatch, vsPatch],
} as unknown as ActionPlan;

const drWithV4: KubeObject = {
  kind: 'DestinationRule',
  spec: { subsets: [{ name: 'v1' }, { name: 'v4' }] },
};
const vsRouting = (...subsets: string[]): KubeObject => ({
  kind: 'VirtualService',
  spec: {
    http: [
      {
        route: subsets.map(subset => ({
          destination: { host: 'reviews', subset },
        })),
      },
    ],
  },
});

function writer(kube: ClusterClient, timeoutMs = 1000) {
  return new RolloutWriter({
    clients: new ClusterClients(async () => kube),
    timeoutMs,
    logger: mockServices.logger.mock(),
  });
}

const target = { cluster, istioVersion: 'v1', resourceVersion: '41' };
const failing = (code: number) => () =>
  Promise.reject(new ApiException(code, 'failed', '{}', {}));

/** A client whose DestinationRule patch works and whose VirtualService patch does `vs`. */
function client(
  vs: () => Promise<KubeObject>,
  overrides: Partial<ClusterClient> = {},
) {
  return fakeClusterClient({
    patchIstio: async (ref: IstioObjectRef) =>
      ref.resource === 'destinationrules' ? drWithV4 : vs(),
    ...overrides,
  });
}

describe('RolloutWriter', () => {
  it('sends the patches in the plan’s order, at the cluster’s Istio version', async () => {
    const c = client(async () => vsRouting('v1', 'v4'));
    await writer(c).write(target, plan);
    expect(c.patchIstio.mock.calls.map(([ref, ops]) => [ref, ops])).toEqual([
      [
        {
          version: 'v1',
          resource: 'destinationrules',
          namespace: 'bookinfo',
          name: 'reviews',
        },
        drPatch.operations,
      ],
      [
        {
          version: 'v1',
          resource: 'virtualservices',
          namespace: 'bookinfo',
          name: 'reviews',
        },
        vsPatch.operations,
      ],
    ]);
  });

  it('removes the added subset again when the VirtualService patch fails and does not route to it', async () => {
    const c = client(failing(500), { getIstio: async () => vsRouting('v1') });
    const error = await writer(c)
      .write(target, plan)
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /Subset "v4", added to DestinationRule bookinfo\/reviews in cluster "demo-east" first, was removed again: nothing was changed\.$/,
    );
    expect(c.patchIstio).toHaveBeenCalledTimes(3);
    expect(c.patchIstio.mock.calls[2][1]).toEqual([
      { op: 'test', path: '/spec/subsets/1/name', value: 'v4' },
      { op: 'remove', path: '/spec/subsets/1' },
    ]);
  });

  it('keeps the subset when the VirtualService routes to it after all (a timed-out patch that landed)', async () => {
    jest.useFakeTimers();
    try {
      const c = client(() => new Promise<never>(() => {}), {
        getIstio: async () => vsRouting('v1', 'v4'),
      });
      const pending = writer(c, 500)
        .write(target, plan)
        .catch(e => e);
      await jest.advanceTimersByTimeAsync(500);
      const error = await pending;
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        'Cluster "demo-east" did not answer within 500 ms; the change of VirtualService bookinfo/reviews may or may not have been applied: reload to see. ' +
          'Subset "v4" stays in DestinationRule bookinfo/reviews in cluster "demo-east": the VirtualService routes to it after all; reload to see.',
      );
      expect(c.patchIstio).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the subset, and says so, when the VirtualService cannot be checked', async () => {
    const c = client(failing(409), { getIstio: failing(503) });
    const error = await writer(c)
      .write(target, plan)
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain(
      'Subset "v4" stays in DestinationRule bookinfo/reviews in cluster "demo-east": whether the VirtualService changed could not be checked',
    );
    expect(c.patchIstio).toHaveBeenCalledTimes(2);
  });

  it('says so when removing the subset fails too', async () => {
    let calls = 0;
    const c = fakeClusterClient({
      patchIstio: async ref => {
        calls += 1;
        if (calls === 1) return drWithV4;
        if (ref.resource === 'virtualservices')
          throw new ApiException(500, 'x', '{}', {});
        throw new ApiException(409, 'x', '{}', {});
      },
      getIstio: async () => vsRouting('v1'),
    });
    const error = await writer(c)
      .write(target, plan)
      .catch(e => e);
    expect(error.message).toContain(
      'Subset "v4" stays in DestinationRule bookinfo/reviews in cluster "demo-east": removing it again failed',
    );
    expect(error.message).toContain('No traffic goes to it');
  });

  describe('a patch whose answer is late, lost or a 5xx', () => {
    // The objects the plan was made from: reviews routing to v1, a DestinationRule with v1.
    const vsBefore: KubeObject = {
      metadata: {
        name: 'reviews',
        namespace: 'bookinfo',
        resourceVersion: '41',
      },
      ...vsRouting('v1'),
    };
    const drBefore: KubeObject = {
      metadata: {
        name: 'reviews',
        namespace: 'bookinfo',
        resourceVersion: '7',
      },
      spec: { subsets: [{ name: 'v1' }] },
    };
    const withObjects = {
      ...target,
      objects: { virtualServices: [vsBefore], destinationRules: [drBefore] },
    };
    const vsAfter: KubeObject = {
      ...vsBefore,
      metadata: { ...vsBefore.metadata, resourceVersion: '42' },
      spec: {
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' } },
              { destination: { host: 'reviews', subset: 'v4' }, weight: 0 },
            ],
          },
        ],
      },
    };

    it('reads it back, and carries on with a note when the change was made', async () => {
      const c = client(failing(500), { getIstio: async () => vsAfter });
      const result = await writer(c).write(withObjects, plan);
      expect(result.warnings).toEqual([
        'VirtualService bookinfo/reviews in cluster "demo-east" was changed, but the cluster\'s answer did not arrive ' +
          '(Cluster "demo-east" answered 500 (server error)); reading it back showed the change in place.',
      ]);
      expect(c.getIstio).toHaveBeenCalledWith(
        expect.objectContaining({
          resource: 'virtualservices',
          name: 'reviews',
        }),
        expect.anything(),
      );
      // Nothing is undone: the action is complete.
      expect(c.patchIstio).toHaveBeenCalledTimes(2);
    });

    it('says for sure that nothing was changed when it reads back unchanged', async () => {
      const c = fakeClusterClient({
        patchIstio: failing(503),
        getIstio: async () => drBefore,
      });
      const error = await writer(c)
        .write(withObjects, plan)
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        'Could not change DestinationRule bookinfo/reviews in cluster "demo-east": Cluster "demo-east" answered 503 (server error). ' +
          'DestinationRule bookinfo/reviews was read back unchanged: nothing was changed.',
      );
    });

    it('says a timed-out patch was not made when it reads back unchanged', async () => {
      jest.useFakeTimers();
      try {
        let reads = 0;
        const c = fakeClusterClient({
          patchIstio: () => new Promise<never>(() => {}),
          getIstio: async () => {
            reads += 1;
            return drBefore;
          },
        });
        const pending = writer(c, 500)
          .write(withObjects, plan)
          .catch(e => e);
        await jest.advanceTimersByTimeAsync(500);
        const error = await pending;
        expect(reads).toBe(1);
        expect(error.message).toBe(
          'Cluster "demo-east" did not answer within 500 ms; DestinationRule bookinfo/reviews was read back unchanged: nothing was changed.',
        );
      } finally {
        jest.useRealTimers();
      }
    });

    it('says it could not tell when the read back fails too', async () => {
      const c = fakeClusterClient({
        patchIstio: failing(502),
        getIstio: failing(502),
      });
      const error = await writer(c)
        .write(withObjects, plan)
        .catch(e => e);
      expect(error.message).toBe(
        'Could not change DestinationRule bookinfo/reviews in cluster "demo-east": Cluster "demo-east" answered 502 (server error). ' +
          'Whether it was changed all the same could not be checked: reload to see.',
      );
    });

    it('does not read back after a refusal (4xx): nothing was written', async () => {
      const c = fakeClusterClient({ patchIstio: failing(422) });
      await writer(c)
        .write(withObjects, plan)
        .catch(e => e);
      expect(c.getIstio).not.toHaveBeenCalled();
    });
  });

  it('undoes nothing when the first patch fails', async () => {
    const c = fakeClusterClient({ patchIstio: failing(409) });
    const error = await writer(c)
      .write(target, plan)
      .catch(e => e);
    expect(error.message).toBe(
      'DestinationRule bookinfo/reviews in cluster "demo-east" was changed since you loaded it (resourceVersion 7); reload and try again.',
    );
    expect(c.patchIstio).toHaveBeenCalledTimes(1);
    expect(c.getIstio).not.toHaveBeenCalled();
  });
});
