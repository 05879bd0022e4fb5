import {
  destinationRule,
  service,
  virtualService,
} from './__testUtils__/objects';
import { detectOwners } from './owner';

const vs = (meta: Parameters<typeof virtualService>[3]) =>
  virtualService('reviews', 'bookinfo', { hosts: ['reviews'] }, meta);

describe('detectOwners', () => {
  it.each([
    ['nothing', vs({}), {}, []],
    [
      'an ownerReference to an Argo Rollouts Rollout',
      vs({
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: 'reviews',
            uid: 'u',
          },
        ],
      }),
      {},
      [
        {
          kind: 'ArgoRollouts',
          name: 'reviews',
          effect: 'refuses-edits',
          via: 'ownerReference Rollout/reviews',
        },
      ],
    ],
    [
      'the managed-by-rollouts annotation on the VirtualService',
      vs({
        annotations: {
          'argo-rollouts.argoproj.io/managed-by-rollouts': 'reviews-ro',
        },
      }),
      {},
      [
        {
          kind: 'ArgoRollouts',
          name: 'reviews-ro',
          effect: 'refuses-edits',
          via: 'annotation argo-rollouts.argoproj.io/managed-by-rollouts',
        },
      ],
    ],
    [
      'the managed-by-rollouts annotation on the DestinationRule of the route host',
      vs({}),
      {
        destinationRules: [
          destinationRule(
            'reviews',
            'bookinfo',
            'reviews',
            {},
            {
              annotations: {
                'argo-rollouts.argoproj.io/managed-by-rollouts': 'reviews-ro',
              },
            },
          ),
        ],
      },
      [
        {
          kind: 'ArgoRollouts',
          name: 'reviews-ro',
          effect: 'refuses-edits',
          via: 'DestinationRule reviews annotation argo-rollouts.argoproj.io/managed-by-rollouts',
        },
      ],
    ],
    [
      'rollouts-pod-template-hash in a subset',
      vs({}),
      {
        destinationRules: [
          destinationRule('reviews', 'bookinfo', 'reviews', {
            stable: { 'rollouts-pod-template-hash': '6d7f8' },
          }),
        ],
      },
      [
        {
          kind: 'ArgoRollouts',
          effect: 'refuses-edits',
          via: 'DestinationRule reviews subset stable label rollouts-pod-template-hash',
        },
      ],
    ],
    [
      'an Argo Rollouts managed canary Service behind a host-level split',
      vs({}),
      {
        services: [
          {
            ...service('reviews-canary', 'bookinfo', { app: 'reviews' }),
            metadata: {
              name: 'reviews-canary',
              namespace: 'bookinfo',
              annotations: {
                'argo-rollouts.argoproj.io/managed-by-rollouts': 'reviews',
              },
            },
          },
        ],
      },
      [
        {
          kind: 'ArgoRollouts',
          name: 'reviews',
          effect: 'refuses-edits',
          via: 'Service reviews-canary annotation argo-rollouts.argoproj.io/managed-by-rollouts',
        },
      ],
    ],
    [
      'an ownerReference to a Flagger Canary',
      vs({
        ownerReferences: [
          {
            apiVersion: 'flagger.app/v1beta1',
            kind: 'Canary',
            name: 'reviews',
            controller: true,
          },
        ],
      }),
      {},
      [
        {
          kind: 'Flagger',
          name: 'reviews',
          effect: 'refuses-edits',
          via: 'ownerReference Canary/reviews',
        },
      ],
    ],
    [
      "Flagger's original-configuration annotation",
      vs({
        annotations: { 'flagger.kubernetes.io/original-configuration': '{}' },
      }),
      {},
      [
        {
          kind: 'Flagger',
          effect: 'refuses-edits',
          via: 'annotation flagger.kubernetes.io/original-configuration',
        },
      ],
    ],
    [
      'a Flagger-owned DestinationRule',
      vs({}),
      {
        destinationRules: [
          destinationRule(
            'reviews-primary',
            'bookinfo',
            'reviews-primary',
            {},
            {
              ownerReferences: [
                {
                  apiVersion: 'flagger.app/v1beta1',
                  kind: 'Canary',
                  name: 'reviews',
                },
              ],
            },
          ),
        ],
      },
      [
        {
          kind: 'Flagger',
          name: 'reviews',
          effect: 'refuses-edits',
          via: 'DestinationRule reviews-primary ownerReference Canary/reviews',
        },
      ],
    ],
    [
      "Argo CD's tracking-id annotation",
      vs({
        labels: { 'app.kubernetes.io/instance': 'bookinfo' },
        annotations: {
          'argocd.argoproj.io/tracking-id':
            'bookinfo:networking.istio.io/VirtualService:bookinfo/reviews',
        },
      }),
      {},
      [
        {
          kind: 'ArgoCD',
          name: 'bookinfo',
          effect: 'may-revert',
          via: 'annotation argocd.argoproj.io/tracking-id',
        },
      ],
    ],
    [
      "Argo CD's custom instance label",
      vs({ labels: { 'argocd.argoproj.io/instance': 'bookinfo-prod' } }),
      {},
      [
        {
          kind: 'ArgoCD',
          name: 'bookinfo-prod',
          effect: 'may-revert',
          via: 'label argocd.argoproj.io/instance',
        },
      ],
    ],
    [
      'app.kubernetes.io/instance alone (Helm sets it too)',
      vs({
        labels: {
          'app.kubernetes.io/instance': 'reviews',
          'app.kubernetes.io/managed-by': 'Helm',
        },
      }),
      {},
      [],
    ],
    [
      'a Flux Kustomization',
      vs({
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      }),
      {},
      [
        {
          kind: 'Flux',
          name: 'flux-system/apps',
          effect: 'may-revert',
          via: 'label kustomize.toolkit.fluxcd.io/name',
        },
      ],
    ],
    [
      'a Flux HelmRelease',
      vs({ labels: { 'helm.toolkit.fluxcd.io/name': 'reviews' } }),
      {},
      [
        {
          kind: 'Flux',
          name: 'reviews',
          effect: 'may-revert',
          via: 'label helm.toolkit.fluxcd.io/name',
        },
      ],
    ],
    [
      'an ownerReference of another kind',
      vs({
        ownerReferences: [
          { apiVersion: 'example.com/v1', kind: 'Rollout', name: 'x' },
        ],
      }),
      {},
      [],
    ],
  ])('%s', (_, obj, evidence, expected) => {
    expect(detectOwners(obj, evidence)).toEqual(expected);
  });

  it('lists a controller before the GitOps tool that deployed it', () => {
    const owners = detectOwners(
      vs({
        ownerReferences: [
          {
            apiVersion: 'flagger.app/v1beta1',
            kind: 'Canary',
            name: 'reviews',
          },
        ],
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' },
      }),
    );
    expect(owners.map(o => o.kind)).toEqual(['Flagger', 'Flux']);
  });
});
