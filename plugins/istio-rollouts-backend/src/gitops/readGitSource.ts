/**
 * Reads the Git source of a GitOps-managed VirtualService from its cluster: the Argo CD Application, or the Flux
 * Kustomization and the GitRepository it builds from. What they name is decided by `gitSource`.
 */
import {
  detectOwners,
  KubeObject,
  RolloutOwner,
} from '@internal/plugin-istio-rollouts-common';
import type { ClusterClient, CustomObjectRef } from '../kubernetes';
import {
  applicationTracks,
  argoCdApplicationRef,
  argoCdGitSource,
  describeManager,
  fluxGitRepositoryRef,
  fluxGitSource,
  GitOpsManager,
  GitSourceResult,
  gitOpsManagersOf,
  helmReleaseSource,
  isGitSourceResult,
  notGitOps,
  pickManager,
  unusable,
} from './gitSource';

/** Where Argo CD keeps its Applications unless an instance name says `<namespace>_<app>`. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

type CustomResource = Pick<CustomObjectRef, 'group' | 'version' | 'plural'>;

export const ARGOCD_APPLICATIONS: CustomResource = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'applications',
};
export const FLUX_KUSTOMIZATIONS: CustomResource = {
  group: 'kustomize.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'kustomizations',
};
export const FLUX_GIT_REPOSITORIES: CustomResource = {
  group: 'source.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'gitrepositories',
};

/**
 * The label Argo CD tracked objects with by default before 3.0. Helm charts set it too, so `detectOwners` does
 * not take it as proof; here it is believed only when the Application lists the VirtualService.
 */
export const ARGOCD_DEFAULT_INSTANCE_LABEL = 'app.kubernetes.io/instance';

export interface ReadGitSourceOptions {
  /**
   * Every owner `detectOwners` finds for the VirtualService (not `Rollout.owner`, which keeps only the first);
   * detected from the object when absent.
   */
  owners?: RolloutOwner[];
  /** Argo CD's control-plane namespace, where its Applications are by default. */
  argoCdNamespace?: string;
  /** Aborts the reads, e.g. when the caller's time budget (`withTimeout`) runs out. */
  signal: AbortSignal;
}

/**
 * The Git source of the VirtualService, or why there is none to edit. Reads one Application, or one
 * Kustomization and its GitRepository; a missing object is an answer, any other failed read rejects with the
 * client's error (`describeClusterError` words it).
 */
export async function readGitSource(
  client: Pick<ClusterClient, 'getCustomObject'>,
  virtualService: KubeObject,
  options: ReadGitSourceOptions,
): Promise<GitSourceResult> {
  const argoCdNamespace = options.argoCdNamespace ?? DEFAULT_ARGOCD_NAMESPACE;
  const get = (type: CustomResource, at: { namespace: string; name: string }) =>
    client.getCustomObject(
      { ...type, namespace: at.namespace, name: at.name },
      options.signal,
    );
  const owners = options.owners ?? detectOwners(virtualService);
  const managers = gitOpsManagersOf(owners, argoCdNamespace);
  if (managers.length === 0) {
    return readByInstanceLabel(virtualService, argoCdNamespace, get);
  }
  const manager = pickManager(managers);
  if (isGitSourceResult(manager)) return manager;
  if (manager.kind === 'HelmRelease') return helmReleaseSource(manager);
  if (manager.kind === 'Application') {
    const application = await get(ARGOCD_APPLICATIONS, manager);
    const managedBy = describeManager(manager);
    return application
      ? argoCdGitSource(application, managedBy)
      : missingObject(
          managedBy,
          "the VirtualService's Argo CD tracking names it",
        );
  }
  return readKustomization(manager, get);
}

type Get = (
  type: CustomResource,
  at: { namespace: string; name: string },
) => Promise<KubeObject | undefined>;

/** A Flux Kustomization's source: the Kustomization, then the GitRepository it builds from. */
async function readKustomization(
  manager: GitOpsManager,
  get: Get,
): Promise<GitSourceResult> {
  const managedBy = describeManager(manager);
  const kustomization = await get(FLUX_KUSTOMIZATIONS, manager);
  if (!kustomization) {
    return missingObject(managedBy, "the VirtualService's Flux labels name it");
  }
  const sourceRef = fluxGitRepositoryRef(kustomization, managedBy);
  if (isGitSourceResult(sourceRef)) return sourceRef;
  const gitRepository = await get(FLUX_GIT_REPOSITORIES, sourceRef);
  if (!gitRepository) {
    return missingObject(
      `GitRepository ${sourceRef.namespace}/${sourceRef.name}`,
      `${managedBy} builds from it`,
      managedBy,
    );
  }
  return fluxGitSource(kustomization, gitRepository, managedBy);
}

/**
 * Argo CD before 3.0 tracks with `app.kubernetes.io/instance` by default, which Helm charts set too: the
 * Application it names counts only when it lists the VirtualService among its resources.
 */
async function readByInstanceLabel(
  virtualService: KubeObject,
  argoCdNamespace: string,
  get: Get,
): Promise<GitSourceResult> {
  const instance =
    virtualService.metadata?.labels?.[ARGOCD_DEFAULT_INSTANCE_LABEL];
  if (!instance) return notGitOps();
  const ref = argoCdApplicationRef(instance, argoCdNamespace);
  const application = await get(ARGOCD_APPLICATIONS, ref);
  if (!application || !applicationTracks(application, virtualService)) {
    return notGitOps();
  }
  return argoCdGitSource(application, describeManager(ref));
}

/** An object the lookup needed that the cluster does not have. */
function missingObject(
  object: string,
  why: string,
  managedBy = object,
): GitSourceResult {
  return unusable(
    'missing',
    `${object} is not in the cluster, though ${why}.`,
    managedBy,
  );
}
