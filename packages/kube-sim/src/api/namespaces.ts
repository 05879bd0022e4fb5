/*
 * What every cluster's namespaces share: `default` always exists, a
 * namespace gets its name label, finalizer and phase, and namespaced
 * objects need their namespace. Used by API writes and by manifests alike.
 */
import { isPlainObject, KubeObject } from '../objects';
import { RESOURCE_TYPES, ResourceType } from '../resources';
import { namespaceNotFound } from '../status';
import { Store } from '../store';

/** The namespace every cluster has; kept across manifest replacement. */
export const DEFAULT_NAMESPACE = 'default';

export const NAMESPACE_TYPE: ResourceType = RESOURCE_TYPES.find(
  t => t.kind === 'Namespace',
)!;

export function namespaceDefaults(obj: KubeObject) {
  obj.metadata.labels = {
    ...(obj.metadata.labels ?? {}),
    'kubernetes.io/metadata.name': obj.metadata.name ?? '',
  };
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  obj.spec = spec;
  if (!isPlainObject(obj.status)) obj.status = { phase: 'Active' };
}

/** Refuses a namespaced write into a namespace that does not exist. */
export function requireNamespace(
  store: Store,
  type: ResourceType,
  namespace: string | undefined,
) {
  if (type.namespaced && namespace !== undefined) {
    if (!store.has(NAMESPACE_TYPE, undefined, namespace))
      throw namespaceNotFound(namespace);
  }
}

/** Makes sure the `default` namespace exists, as it does in every cluster. */
export function ensureDefaultNamespace(store: Store) {
  if (!store.has(NAMESPACE_TYPE, undefined, DEFAULT_NAMESPACE)) {
    const obj: KubeObject = { metadata: { name: DEFAULT_NAMESPACE } };
    namespaceDefaults(obj);
    store.create(NAMESPACE_TYPE, obj);
  }
}
