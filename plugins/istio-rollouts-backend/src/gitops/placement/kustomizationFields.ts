import { cannotPlace } from './CannotPlace';

/*
 * Which fields of a kustomization placement reads, which it may ignore, and which stop it: a field whose effect
 * on a VirtualService or DestinationRule is not modelled could change a value without placement seeing it.
 */

/** Fields that change nothing placement edits (metadata, other kinds' fields, generated ConfigMaps). */
const HARMLESS_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'buildMetadata',
  'sortOptions',
]);

/** Fields that may change any value of any object: what they do is not modelled, so nothing is placed. */
const UNMODELLED_FIELDS: Record<string, string> = {
  helmCharts: 'renders a Helm chart',
  helmChartInflationGenerator: 'renders a Helm chart',
  helmGlobals: 'configures Helm charts',
  generators: 'runs generator plugins',
  transformers: 'runs transformer plugins',
  validators: 'runs validator plugins',
  components: 'includes components',
  replacements: 'copies values between objects',
  vars: 'substitutes variables',
  configurations: 'changes which fields transformers touch',
  openapi: 'gives kinds a schema, which changes how their lists merge',
  crds: 'gives kinds a schema, which changes how their lists merge',
};

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && Object.keys(value as object).length === 0)
  );
}

/** Refuses a kustomization with a field placement does not model. */
export function requireModelledFields(
  file: string,
  fields: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(fields)) {
    const effect = UNMODELLED_FIELDS[key];
    if (effect && !isEmpty(value)) {
      cannotPlace(`${file} ${effect} (${key}), which placement does not model`);
    } else if (!effect && !HARMLESS_FIELDS.has(key)) {
      cannotPlace(
        `${file} has the field "${key}", which placement does not model`,
      );
    }
  }
  // `labels` with fieldSpecs may write labels into any field of any kind.
  for (const entry of list(fields.labels, 'labels', file)) {
    if (entry && typeof entry === 'object' && 'fieldSpecs' in entry) {
      cannotPlace(
        `${file} writes labels into chosen fields (labels with fieldSpecs), which placement does not model`,
      );
    }
  }
}

/** Whether a resource entry is remote: a URL or a Git address kustomize would fetch. */
export function isRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(entry) ||
    entry.includes('?ref=')
  );
}

/** A list field (absent: empty). */
export function list(value: unknown, field: string, file: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return cannotPlace(`${field} in ${file} is not a list`);
  }
  return value;
}

/** A string field (absent or empty: undefined). */
export function text(
  value: unknown,
  field: string,
  file: string,
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    return cannotPlace(`${field} in ${file} is not a string`);
  }
  return value;
}
