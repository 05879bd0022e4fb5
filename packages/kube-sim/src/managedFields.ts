/*
 * metadata.managedFields, as the API server's field manager keeps them,
 * coarsely: a field is a path of at most two levels (`spec.http`,
 * `metadata.labels`), which for Istio's atomic route lists is what a real
 * server records too. An Update takes the fields it changed from every other
 * manager; an Apply owns the fields it declares and takes those whose value
 * it changed. A write that changes nothing leaves the entries (and their
 * times) alone, so it stays a no-op.
 */
import { deepEqual, isPlainObject, KubeObject, timestamp } from './objects';

export interface ManagedFieldsEntry {
  manager?: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface FieldOwner {
  /** The request's `fieldManager`, else the User-Agent's product name. */
  manager: string;
  operation: 'Apply' | 'Update';
  /** The group/version the client addressed. */
  apiVersion: string;
  subresource?: string;
}

/** The API server's FieldManagerMaxLength. */
const MAX_MANAGER_LENGTH = 128;
/** The metadata fields a client sets; the rest is the server's. */
const OWNED_METADATA = [
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
];
const SEP = '\n';

/**
 * The manager of a write: `fieldManager` when given, else what the User-Agent
 * says before its first `/` (kubectl/v1.31.0 → `kubectl`), printable
 * characters only, at most 128 of them — the API server's prefixFromUserAgent.
 */
export function fieldManagerOf(
  fieldManager: string | null | undefined,
  userAgent: string | undefined,
): string {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? '').split('/')[0];
  // eslint-disable-next-line no-control-regex
  const printable = [...prefix].filter(c => !/[\u0000-\u001f\u007f]/.test(c));
  return printable.slice(0, MAX_MANAGER_LENGTH).join('');
}

/** The two-level paths of an object's fields a manager can own. */
function fieldPaths(obj: KubeObject, subresource?: string): Set<string> {
  const paths = new Set<string>();
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      for (const field of OWNED_METADATA) {
        if (obj.metadata[field] !== undefined)
          paths.add(`metadata${SEP}${field}`);
      }
      continue;
    }
    // The main resource never writes status, the status subresource only status.
    if ((key === 'status') !== (subresource === 'status')) continue;
    const children = isPlainObject(value)
      ? Object.keys(value).filter(k => value[k] !== undefined)
      : [];
    if (children.length === 0) paths.add(key);
    for (const child of children) paths.add(`${key}${SEP}${child}`);
  }
  return paths;
}

function valueAt(obj: KubeObject | undefined, path: string): unknown {
  let value: unknown = obj;
  for (const part of path.split(SEP)) {
    value = isPlainObject(value) ? value[part] : undefined;
  }
  return value;
}

/** `{ "f:spec": { "f:http": {} } }` from `spec\nhttp`. */
function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const path of [...paths].sort()) {
    const [top, child] = path.split(SEP);
    out[`f:${top}`] ??= {};
    if (child !== undefined) out[`f:${top}`][`f:${child}`] = {};
  }
  return out;
}

function fromFieldsV1(fields: unknown): Set<string> {
  const paths = new Set<string>();
  if (!isPlainObject(fields)) return paths;
  for (const [top, children] of Object.entries(fields)) {
    if (!top.startsWith('f:')) continue;
    const names = isPlainObject(children)
      ? Object.keys(children).filter(k => k.startsWith('f:'))
      : [];
    if (names.length === 0) paths.add(top.slice(2));
    for (const name of names)
      paths.add(`${top.slice(2)}${SEP}${name.slice(2)}`);
  }
  return paths;
}

/** The API server's order: Apply before Update, then oldest first, then by manager. */
function compareEntries(a: ManagedFieldsEntry, b: ManagedFieldsEntry): number {
  const key = (e: ManagedFieldsEntry) => [
    e.operation,
    e.time,
    e.manager ?? '',
    e.apiVersion,
    e.subresource ?? '',
  ];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

/**
 * The entries a write starts from. A request that carries entries of its own
 * other than the stored ones replaces them; `[{}]` clears them (then the
 * write owns only what it changes); none, or `[]`, keeps the stored ones, so
 * a client unaware of the field never strips it.
 */
function baseEntries(
  previous: KubeObject | undefined,
  next: KubeObject,
): { entries: ManagedFieldsEntry[]; reset: boolean } {
  const stored = (previous?.metadata.managedFields ??
    []) as ManagedFieldsEntry[];
  const sent = next.metadata.managedFields;
  if (!Array.isArray(sent) || sent.length === 0 || deepEqual(sent, stored)) {
    return { entries: stored, reset: false };
  }
  if (sent.length === 1 && deepEqual(sent[0], {})) {
    return { entries: [], reset: true };
  }
  return {
    entries: sent.filter(isPlainObject) as unknown as ManagedFieldsEntry[],
    reset: true,
  };
}

/**
 * The managedFields of `next` after a write by `owner` (`previous` is the
 * stored object, absent on create; `applied` is what an Apply declared).
 * Empty when nobody owns anything.
 */
export function managedFieldsAfter(options: {
  previous?: KubeObject;
  next: KubeObject;
  owner: FieldOwner;
  applied?: KubeObject;
  now?: Date;
}): ManagedFieldsEntry[] {
  const { previous, next, owner, applied } = options;
  const { entries: base, reset } = baseEntries(previous, next);
  const present = fieldPaths(next, owner.subresource);
  const before = previous
    ? fieldPaths(previous, owner.subresource)
    : new Set<string>();
  const changed = new Set(
    [...present, ...before].filter(
      path => !deepEqual(valueAt(previous, path), valueAt(next, path)),
    ),
  );
  const same = (e: ManagedFieldsEntry) =>
    (e.manager ?? '') === owner.manager &&
    e.operation === owner.operation &&
    e.apiVersion === owner.apiVersion &&
    (e.subresource ?? '') === (owner.subresource ?? '');
  const mine = base.find(same);
  const hadFields = [...fromFieldsV1(mine?.fieldsV1)].filter(p =>
    present.has(p),
  );
  const owned = new Set(
    owner.operation === 'Apply'
      ? [...fieldPaths(applied ?? next, owner.subresource)]
      : [...hadFields, ...changed],
  );
  for (const path of owned) if (!present.has(path)) owned.delete(path);
  const sameOwnership = deepEqual([...owned].sort(), hadFields.sort());
  if (!reset && changed.size === 0 && sameOwnership) return base;

  const entries: ManagedFieldsEntry[] = [];
  for (const entry of base) {
    if (same(entry)) continue;
    // Others lose what this write changed, and what no longer exists.
    const kept = [...fromFieldsV1(entry.fieldsV1)].filter(
      p => present.has(p) && !changed.has(p),
    );
    if (kept.length > 0) {
      entries.push({ ...entry, fieldsV1: toFieldsV1(kept) });
    }
  }
  if (owned.size > 0) {
    entries.push({
      ...(owner.manager && { manager: owner.manager }),
      operation: owner.operation,
      apiVersion: owner.apiVersion,
      time: timestamp(options.now),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(owned),
      ...(owner.subresource && { subresource: owner.subresource }),
    });
  }
  return entries.sort(compareEntries);
}
