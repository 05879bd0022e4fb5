import { ConflictError } from '@backstage/errors';
import { checkOwnership, OwnedRollout } from './ownership';

const reviews: OwnedRollout = {
  cluster: 'demo-east',
  namespace: 'bookinfo',
  name: 'reviews',
};

function refusal(owner: OwnedRollout['owner']): Error {
  try {
    checkOwnership({ ...reviews, owner });
  } catch (e) {
    return e as Error;
  }
  throw new Error('not refused');
}

describe('checkOwnership', () => {
  it('allows a VirtualService nobody else manages, without warning', () => {
    expect(checkOwnership(reviews)).toEqual({});
  });

  it('refuses one Flagger owns, naming the Canary and how to act through it', () => {
    const error = refusal({
      kind: 'Flagger',
      name: 'podinfo',
      effect: 'refuses-edits',
      via: 'ownerReference Canary/podinfo',
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toHaveProperty('reason', 'OwnedByController');
    expect(error.message).toBe(
      'VirtualService bookinfo/reviews in cluster "demo-east" is managed by Flagger (Canary "podinfo", found by ownerReference Canary/podinfo), ' +
        'which shifts its traffic by canary analysis and would undo this change. Act through the Canary instead: let its analysis promote ' +
        "or roll back (gate it with Flagger's confirm-promotion or confirm-rollout webhooks), or change its analysis in the Canary spec; " +
        'kubectl -n bookinfo describe canary podinfo shows where it stands.',
    );
  });

  it('refuses one Argo Rollouts owns, with the kubectl argo rollouts command to use', () => {
    const error = refusal({
      kind: 'ArgoRollouts',
      name: 'reviews-rollout',
      effect: 'refuses-edits',
      via: 'DestinationRule reviews annotation argo-rollouts.argoproj.io/managed-by-rollouts',
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'is managed by Argo Rollouts (Rollout "reviews-rollout"',
    );
    expect(error.message).toContain(
      'kubectl argo rollouts promote reviews-rollout -n bookinfo',
    );
  });

  it('refuses an Argo Rollouts VirtualService whose Rollout is unnamed, with a placeholder', () => {
    const error = refusal({
      kind: 'ArgoRollouts',
      effect: 'refuses-edits',
      via: 'DestinationRule reviews subset v2 label rollouts-pod-template-hash',
    });
    expect(error.message).toContain('(Rollout unnamed, found by');
    expect(error.message).toContain('kubectl argo rollouts promote <rollout>');
  });

  it('allows one Argo CD tracks, warning that self-heal may revert it', () => {
    expect(
      checkOwnership({
        ...reviews,
        owner: { kind: 'ArgoCD', name: 'bookinfo', effect: 'may-revert' },
      }),
    ).toEqual({
      warning:
        'Argo CD (Application "bookinfo") tracks VirtualService bookinfo/reviews in cluster "demo-east" from Git: ' +
        'with self-heal on, or at the next sync, it may revert this change. Make the same change in Git to keep it.',
    });
  });

  it('allows one Flux applies, naming its HelmRelease or Kustomization', () => {
    expect(
      checkOwnership({
        ...reviews,
        owner: {
          kind: 'Flux',
          name: 'flux-system/bookinfo',
          effect: 'may-revert',
          via: 'label helm.toolkit.fluxcd.io/name',
        },
      }).warning,
    ).toMatch(
      /^Flux \(HelmRelease "flux-system\/bookinfo"\) applies VirtualService/,
    );
    expect(
      checkOwnership({
        ...reviews,
        owner: {
          kind: 'Flux',
          name: 'bookinfo',
          effect: 'may-revert',
          via: 'label kustomize.toolkit.fluxcd.io/name',
        },
      }).warning,
    ).toMatch(/^Flux \(Kustomization "bookinfo"\)/);
  });
});
