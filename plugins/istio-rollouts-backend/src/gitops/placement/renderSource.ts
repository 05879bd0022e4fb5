import type { RolloutObjectPatch } from '@internal/plugin-istio-rollouts-common';
import { cannotPlace } from './CannotPlace';
import { buildKustomization, kustomizationFileIn } from './kustomization';
import {
  describeDir,
  joinPath,
  normalizePath,
  RepositoryFiles,
} from './repositoryFiles';
import {
  currentId,
  describeId,
  groupOf,
  Resource,
  resourcesOf,
} from './resources';
import type { PlacementSource } from './types';

/** Istio's API group: the only objects placement edits. */
export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';

/** The manifest files of a plain directory, as Argo CD reads them: YAML and JSON, sorted, optionally recursive. */
async function manifestFiles(
  files: RepositoryFiles,
  dir: string,
  recurse: boolean,
): Promise<string[]> {
  const entries = (await files.list(dir)) ?? [];
  const out: string[] = [];
  for (const entry of [...entries].sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = joinPath(dir, entry.name, dir);
    if (entry.type === 'file' && /\.(ya?ml|json)$/i.test(entry.name)) {
      out.push(path);
    } else if (entry.type === 'directory' && recurse) {
      out.push(...(await manifestFiles(files, path, recurse)));
    }
  }
  return out;
}

/** The objects of a plain manifest directory: every document of every manifest file, with no layers. */
async function plainManifests(
  files: RepositoryFiles,
  dir: string,
  recurse: boolean,
): Promise<Resource[]> {
  const layer = `the manifests of ${describeDir(dir)}`;
  const resources: Resource[] = [];
  for (const path of await manifestFiles(files, dir, recurse)) {
    const text = await files.require(path, layer);
    for (const doc of await files.documents(path, layer)) {
      resources.push(
        ...resourcesOf(doc, {
          file: path,
          text,
          layer,
          uses: files.usesOf(doc),
        }),
      );
    }
  }
  return resources;
}

/** The synced directory, canonical. */
export function sourceDir(source: PlacementSource): string {
  const dir = normalizePath(source.path.replace(/^\/+/, ''));
  if (dir === undefined) {
    return cannotPlace(
      `the synced path "${source.path}" leaves the repository`,
    );
  }
  return dir;
}

/**
 * Renders every object the GitOps tool would apply from the synced directory: a kustomization when the
 * directory has one, else its plain manifests. A Helm chart is rendered from templates: nothing in it can be
 * edited with certainty.
 */
export async function renderSource(
  files: RepositoryFiles,
  source: PlacementSource,
): Promise<Resource[]> {
  const dir = sourceDir(source);
  const entries = await files.list(dir);
  if (!entries) {
    return cannotPlace(
      `the synced path ${describeDir(
        dir,
      )} is not a directory of the repository`,
    );
  }
  if (entries.some(e => e.type === 'file' && e.name === 'Chart.yaml')) {
    return cannotPlace(
      `${describeDir(
        dir,
      )} is a Helm chart (it has a Chart.yaml): its objects are rendered from templates, ` +
        `so the values are not written in any one file`,
    );
  }
  return (await kustomizationFileIn(files, dir))
    ? buildKustomization(files, dir)
    : plainManifests(files, dir, source.recurse ?? false);
}

/** How messages name the object a patch is for: `VirtualService default/reviews`. */
export function describeTarget(patch: RolloutObjectPatch): string {
  return `${patch.kind} ${patch.namespace}/${patch.name}`;
}

/**
 * The one rendered object a patch is for: Istio's group, its kind and name, and its namespace (an object that
 * names none is in the tool's default namespace, or matches any when none is given).
 */
export function selectTarget(
  resources: Resource[],
  patch: RolloutObjectPatch,
  source: PlacementSource,
): Resource {
  const found = resources.filter(r => {
    const id = currentId(r);
    const namespace = id.namespace ?? source.defaultNamespace;
    return (
      groupOf(id.apiVersion) === ISTIO_NETWORKING_GROUP &&
      id.kind === patch.kind &&
      id.name === patch.name &&
      (namespace === undefined || namespace === patch.namespace)
    );
  });
  if (found.length === 0) {
    return cannotPlace(
      `${describeTarget(patch)} is not defined in ${describeDir(
        sourceDir(source),
      )} (${resources.length} objects read there)`,
    );
  }
  if (found.length > 1) {
    return cannotPlace(
      `several objects could be ${describeTarget(patch)}: ${found
        .map(r => `${describeId(currentId(r))} in ${r.file}`)
        .join(', ')}; which one the tool applies is a guess`,
    );
  }
  return found[0];
}
