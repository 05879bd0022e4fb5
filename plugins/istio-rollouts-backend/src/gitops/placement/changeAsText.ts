import type { RolloutObjectPatch } from '@internal/plugin-istio-rollouts-common';
import { stringify } from 'yaml';
import { gitOperations } from './placeOperations';
import { ISTIO_NETWORKING_GROUP } from './renderSource';

/** A comment block: each line of `text` behind `# `. */
function comment(text: string): string {
  return text
    .split('\n')
    .map(line => `# ${line}`.trimEnd())
    .join('\n');
}

/**
 * The change as text a person can apply by hand: kustomize `patches` entries, one per object, each naming its
 * target and holding the planner's JSON Patch (without the cluster's resourceVersion guard) as YAML. They can
 * be added to the synced kustomization as they are, or read as the list of values to change where the
 * repository defines them.
 */
export function changeAsText(
  patches: RolloutObjectPatch[],
  reason: string,
): string {
  const entries = patches.map(p => ({
    target: {
      group: ISTIO_NETWORKING_GROUP,
      kind: p.kind,
      name: p.name,
      namespace: p.namespace,
    },
    patch: stringify(gitOperations(p.operations)),
  }));
  const header = [
    `The change to ${patches
      .map(p => `${p.kind} ${p.namespace}/${p.name}`)
      .join(' and ')}, as JSON Patch (RFC 6902), not placed in the repository:`,
    reason,
    'Make it by hand where the repository defines these values, or add these entries to the `patches:` of',
    'the kustomization the GitOps tool syncs.',
  ].join('\n');
  return `${comment(header)}\n${stringify({ patches: entries })}`;
}
