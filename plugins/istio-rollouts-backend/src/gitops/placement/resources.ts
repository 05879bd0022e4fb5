import { isMap, isSeq } from 'yaml';
import { cannotPlace } from './CannotPlace';
import type { ParsedDocument } from './repositoryFiles';
import {
  lookup,
  Rendered,
  RenderedMap,
  renderNode,
  replacing,
  Source,
  syntheticValue,
  toJson,
} from './renderedTree';

/** Who an object is: what kustomize matches patches on. */
export interface ResourceId {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One object of the source, rendered as far as the layer walk has got. */
export interface Resource {
  /** Its ids so far, the original first: kustomize matches a patch against the original or the current one. */
  ids: ResourceId[];
  object: RenderedMap;
  /** The file that defines it. */
  file: string;
}

/** The id an object's rendered fields say it has, or undefined when it lacks a kind or a name. */
export function idOf(object: Rendered): ResourceId | undefined {
  const field = (...tokens: string[]) => {
    const value = lookup(object, tokens)?.at(-1);
    return value ? toJson(value) : undefined;
  };
  const apiVersion = field('apiVersion');
  const kind = field('kind');
  const name = field('metadata', 'name');
  const namespace = field('metadata', 'namespace');
  if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return {
    apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
    kind,
    name,
    namespace:
      typeof namespace === 'string' && namespace ? namespace : undefined,
  };
}

/** The id a resource has now, after the transforms so far. */
export function currentId(resource: Resource): ResourceId {
  return resource.ids[resource.ids.length - 1];
}

/** The API group of an apiVersion: `networking.istio.io/v1` → `networking.istio.io`, `v1` → ``. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** How messages name an object: `VirtualService default/reviews`. */
export function describeId(id: ResourceId): string {
  return `${id.kind} ${id.namespace ?? '(no namespace)'}/${id.name}`;
}

/**
 * The objects a document of a resource file defines: itself, or the items of a `List`. Documents that are not
 * objects with a kind and a name define none.
 */
export function resourcesOf(
  parsed: ParsedDocument,
  source: Source,
): Resource[] {
  const { doc, file } = parsed;
  const object = renderNode(doc.contents, doc, source, source.locked);
  if (object.kind !== 'map') return [];
  const kindValue = object.entries.get('kind')?.value;
  const kind = kindValue ? toJson(kindValue) : undefined;
  const items = object.entries.get('items')?.value;
  if (
    typeof kind === 'string' &&
    kind.endsWith('List') &&
    items?.kind === 'seq'
  ) {
    const itemSource: Source = {
      ...source,
      locked: source.locked ?? `it is an item of a ${kind} in ${file}`,
    };
    const list = isMap(doc.contents)
      ? doc.contents.get('items', true)
      : undefined;
    return (isSeq(list) ? list.items : []).flatMap(item =>
      asResource(renderNode(item, doc, itemSource, itemSource.locked), file),
    );
  }
  return asResource(object, file);
}

function asResource(object: Rendered, file: string): Resource[] {
  const id = object.kind === 'map' ? idOf(object) : undefined;
  if (!id || object.kind !== 'map') return [];
  const resource: Resource = { ids: [id], object, file };
  object.source.uses.add(resource);
  return [resource];
}

/** kustomize's effective namespace: none is `default`. */
function effectiveNamespace(namespace: string | undefined): string {
  return namespace || 'default';
}

/**
 * Whether a strategic-merge patch without a target (it names its object itself) applies to a resource: the
 * same apiVersion, kind and name as its original or a later id, and the same namespace (none counting as
 * `default`). A patch that names no namespace is matched in any namespace here, and refused when that matches
 * more than one object: where kustomize is stricter, it fails to build rather than being misread.
 */
export function matchesPatchId(resource: Resource, patch: ResourceId): boolean {
  return resource.ids.some(
    id =>
      id.apiVersion === patch.apiVersion &&
      id.kind === patch.kind &&
      id.name === patch.name &&
      (patch.namespace === undefined ||
        effectiveNamespace(id.namespace) ===
          effectiveNamespace(patch.namespace)),
  );
}

/** A kustomize patch target. */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A selector field as kustomize reads it: a regular expression matching the whole value. */
function pattern(value: string, file: string): RegExp {
  try {
    return new RegExp(`^(?:${value})$`);
  } catch {
    return cannotPlace(
      `the patch target "${value}" in ${file} is not a regular expression placement can read`,
    );
  }
}

/**
 * Whether a patch target selects a resource, as kustomize's `Select`: group, version and kind exactly, name and
 * namespace as anchored regular expressions against the original or the current id. Label and annotation
 * selectors are not evaluated: if the rest selects the resource, placement cannot tell.
 */
export function matchesSelector(
  resource: Resource,
  selector: Selector,
  file: string,
): boolean {
  const { group, version, kind, name, namespace } = selector;
  const current = currentId(resource);
  const apiVersion = current.apiVersion;
  const gvkMatches =
    (group === undefined || group === groupOf(apiVersion)) &&
    (version === undefined ||
      version === apiVersion.slice(apiVersion.indexOf('/') + 1)) &&
    (kind === undefined || kind === current.kind);
  const ids = [resource.ids[0], current];
  const nameMatches =
    !name || ids.some(id => pattern(name, file).test(id.name));
  const namespaceMatches =
    !namespace ||
    ids.some(id =>
      pattern(namespace, file).test(effectiveNamespace(id.namespace)),
    );
  if (!gvkMatches || !nameMatches || !namespaceMatches) return false;
  if (selector.labelSelector || selector.annotationSelector) {
    // Whether it selects another kind of object does not matter: it cannot change what placement edits.
    if (groupOf(apiVersion) !== 'networking.istio.io') return false;
    return cannotPlace(
      `a patch in ${file} selects objects by labels or annotations, which placement does not evaluate; ` +
        `it may apply to ${describeId(current)}`,
    );
  }
  return true;
}

/** Sets a metadata field to a value a kustomize field writes, recording the resource's new id. */
export function setMetadata(
  resource: Resource,
  field: 'name' | 'namespace',
  value: string,
  source: Source,
): void {
  let metadata = resource.object.entries.get('metadata')?.value;
  if (metadata?.kind !== 'map') {
    metadata = syntheticValue({}, source);
    resource.object.entries.set('metadata', { value: metadata });
  }
  const map = metadata as RenderedMap;
  map.entries.set(field, {
    value: replacing(
      syntheticValue(value, source),
      map.entries.get(field)?.value,
    ),
  });
  resource.ids.push({ ...currentId(resource), [field]: value });
}
