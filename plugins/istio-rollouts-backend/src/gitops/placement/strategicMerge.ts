import { cannotPlace } from './CannotPlace';
import { RenderedMap, Rendered, replacing } from './renderedTree';

/** Strategic-merge directives (`$patch`, `$retainKeys`, …): placement does not model them. */
function requireNoDirectives(patch: Rendered, file: string): void {
  if (patch.kind === 'map') {
    for (const [key, entry] of patch.entries) {
      if (key.startsWith('$')) {
        cannotPlace(
          `${file} uses the strategic-merge directive "${key}", which placement does not model`,
        );
      }
      requireNoDirectives(entry.value, file);
    }
  } else if (patch.kind === 'seq') {
    patch.items.forEach(item => requireNoDirectives(item, file));
  }
}

function isNull(r: Rendered): boolean {
  return r.kind === 'scalar' && r.value === null;
}

/**
 * Applies a strategic-merge patch to a custom resource the way kustomize does without a schema for its kind
 * (Istio's kinds have none in kustomize): mappings merge key by key, a `null` deletes the key, and any other
 * value (a list included: `spec.http` has no merge key) replaces what was there. So a patch that sets
 * `spec.http` is where every route of it is defined.
 */
export function strategicMerge(
  target: RenderedMap,
  patch: RenderedMap,
  file: string,
): void {
  requireNoDirectives(patch, file);
  mergeInto(target, patch);
}

function mergeInto(target: RenderedMap, patch: RenderedMap): void {
  for (const [key, entry] of patch.entries) {
    const existing = target.entries.get(key);
    if (isNull(entry.value)) {
      if (existing) {
        target.entries.delete(key);
        target.deleted.set(key, patch.source);
      }
      continue;
    }
    if (existing?.value.kind === 'map' && entry.value.kind === 'map') {
      mergeInto(existing.value, entry.value);
      continue;
    }
    target.entries.set(key, {
      ...entry,
      value: replacing(entry.value, existing?.value),
    });
    target.deleted.delete(key);
  }
  target.blocks.push(...patch.blocks);
}
