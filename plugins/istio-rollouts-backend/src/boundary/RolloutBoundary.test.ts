import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterObjects,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import { buildClaimSnapshot } from '../catalog';
import { NAMESPACE_CONSENT_ANNOTATION } from './locks';
import { RolloutBoundary } from './RolloutBoundary';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

const webService = component('web-service', {
  'backstage.io/kubernetes-id': 'web-service',
});
const copycat = component('copycat', {
  'backstage.io/kubernetes-id': 'web-service',
});

const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: {
    name: 'web-service',
    namespace: 'default',
    labels: { 'backstage.io/kubernetes-id': 'web-service' },
  },
  spec: {},
};

function objects(
  namespaceAnnotations?: Record<string, string>,
): ClusterObjects {
  return {
    cluster: 'demo-east',
    istioVersion: 'v1',
    virtualServices: [vs],
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'default', annotations: namespaceAnnotations },
      },
    ],
  };
}

const rollout = {
  id: 'demo-east/default/web-service',
  cluster: 'demo-east',
  namespace: 'default',
  name: 'web-service',
};
const patches = [
  {
    kind: 'VirtualService' as const,
    namespace: 'default',
    name: 'web-service',
  },
];

function boundary(
  entities: Entity[],
  requireNamespaceConsent = false,
): RolloutBoundary {
  return new RolloutBoundary({
    claims: { snapshot: async () => buildClaimSnapshot(entities) },
    requireNamespaceConsent,
  });
}

describe('RolloutBoundary', () => {
  it('leaves a rollout only one entity claims writable', async () => {
    const b = boundary([webService]);
    expect(
      await b.locks('component:default/web-service', [objects()], [rollout]),
    ).toEqual(new Map());
    await expect(
      b.requireWritable('component:default/web-service', objects(), patches),
    ).resolves.toBeUndefined();
  });

  it('makes an object two entities claim read-only for both, naming the other', async () => {
    const b = boundary([webService, copycat]);
    const locks = await b.locks(
      'component:default/web-service',
      [objects()],
      [rollout],
    );
    expect(locks.get(rollout.id)).toEqual({
      reason: 'SharedClaim',
      message: expect.stringContaining(
        'VirtualService default/web-service in cluster "demo-east" is claimed by component:default/copycat as well',
      ),
    });
    const refusal = await b
      .requireWritable('component:default/copycat', objects(), patches)
      .catch(e => e);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect(refusal.reason).toBe('SharedClaim');
    expect(refusal.message).toContain('component:default/web-service');
  });

  it('fails closed when the claims cannot be loaded', async () => {
    const b = new RolloutBoundary({
      claims: {
        snapshot: async () => {
          throw new Error('catalog is down');
        },
      },
      requireNamespaceConsent: false,
    });
    const locks = await b.locks(
      'component:default/web-service',
      [objects()],
      [rollout],
    );
    expect(locks.get(rollout.id)?.reason).toBe('ClaimsUnavailable');
    await expect(
      b.requireWritable('component:default/web-service', objects(), patches),
    ).rejects.toThrow('catalog is down');
  });

  describe('with namespace consent required', () => {
    it('locks a namespace that does not list the entity, and tells how to consent', async () => {
      const b = boundary([webService], true);
      const locks = await b.locks(
        'component:default/web-service',
        [
          objects({
            [NAMESPACE_CONSENT_ANNOTATION]: 'component:default/other',
          }),
        ],
        [rollout],
      );
      expect(locks.get(rollout.id)).toEqual({
        reason: 'NoNamespaceConsent',
        message: expect.stringContaining(
          `kubectl annotate namespace default ${NAMESPACE_CONSENT_ANNOTATION}=component:default/web-service`,
        ),
      });
      await expect(
        b.requireWritable('component:default/web-service', objects(), patches),
      ).rejects.toBeInstanceOf(NotAllowedError);
    });

    it('lets an entity the namespace lists act, refs compared case-insensitively', async () => {
      const b = boundary([webService], true);
      const consenting = objects({
        [NAMESPACE_CONSENT_ANNOTATION]:
          'component:default/reviews, Component:default/Web-Service',
      });
      expect(
        await b.locks('component:default/web-service', [consenting], [rollout]),
      ).toEqual(new Map());
      await expect(
        b.requireWritable('component:default/web-service', consenting, patches),
      ).resolves.toBeUndefined();
    });
  });
});
