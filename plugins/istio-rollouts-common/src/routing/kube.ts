/**
 * Minimal structural types for the Kubernetes objects the read model consumes, and safe readers for their
 * loosely typed parts.
 *
 * The types are deliberately loose (`spec`/`status` are `unknown`) so that objects from
 * `@kubernetes/client-node`, from YAML or from JSON all fit, and so that fields this plugin does not model never
 * break parsing. Everything below `spec` is read through the helpers at the end of this file.
 */

/** A reference from an object to the object that owns it. @public */
export interface KubeOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The metadata of a Kubernetes object, as far as the read model uses it. @public */
export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
  resourceVersion?: string;
  generation?: number;
  uid?: string;
}

/** Any Kubernetes object: VirtualService, DestinationRule, Deployment, Service, Namespace. @public */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
  spec?: unknown;
  status?: unknown;
}

/** A JSON object read from an untyped part of a Kubernetes object. */
export type UnknownRecord = Record<string, unknown>;

/** The value as an object, or undefined when it is anything else (arrays included). */
export function asRecord(value: unknown): UnknownRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as UnknownRecord)
    : undefined;
}

/** The value as an array, or an empty array when it is anything else. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string; numbers and booleans are stringified (YAML may type `version: 1.0` as a number). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/** The value as a finite number; numeric strings are accepted because hand-written YAML may quote them. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A `map[string]string` such as labels or a selector; entries whose value is not scalar are dropped. */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const record = asRecord(value);
  if (!record) return out;
  for (const [key, raw] of Object.entries(record)) {
    const str = asString(raw);
    if (str !== undefined) out[key] = str;
  }
  return out;
}

/** The object's `spec`, or an empty object. */
export function specOf(obj: KubeObject): UnknownRecord {
  return asRecord(obj.spec) ?? {};
}

/** The object's `status`, or an empty object. */
export function statusOf(obj: KubeObject): UnknownRecord {
  return asRecord(obj.status) ?? {};
}

/** The object's labels (never undefined). */
export function labelsOf(obj: KubeObject): Record<string, string> {
  return asStringMap(obj.metadata?.labels);
}

/** The object's annotations (never undefined). */
export function annotationsOf(obj: KubeObject): Record<string, string> {
  return asStringMap(obj.metadata?.annotations);
}

/** The object's name, or an empty string. */
export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** The object's namespace; objects read without one live in `default`, as the API server would place them. */
export function namespaceOf(obj: KubeObject): string {
  return obj.metadata?.namespace || 'default';
}

/** True when every entry of `selector` is present with the same value in `labels`. */
export function labelsContain(
  labels: Record<string, string>,
  selector: Record<string, string>,
): boolean {
  return Object.entries(selector).every(
    ([key, value]) => labels[key] === value,
  );
}
