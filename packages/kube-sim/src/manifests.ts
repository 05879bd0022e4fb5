/*
 * Manifests: reading multi-document YAML (or JSON), `kind: List` flattened,
 * from text or from files and directories; and loading them into the store
 * as the control API does.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  DEFAULT_NAMESPACE,
  NAMESPACE_TYPE,
  namespaceDefaults,
} from './api/namespaces';
import type { ApiContext } from './api/types';
import { clone, isPlainObject, KubeObject } from './objects';
import {
  findResourceByKind,
  groupVersion,
  RESOURCE_TYPES,
  resourceKey,
  ResourceType,
} from './resources';
import { badRequest } from './status';

export class ManifestError extends Error {}

/**
 * Parses YAML/JSON text into objects; empty documents are skipped.
 *
 * JSON is YAML too, but the YAML parser reads it about 50 times slower than
 * JSON.parse, so text that looks like JSON is tried with JSON.parse first.
 * Whatever JSON.parse refuses (or reads differently from YAML: duplicate
 * keys) goes to the YAML parser, which accepts or reports it as it always has.
 */
export function parseManifests(
  text: string,
  source = 'manifest',
): KubeObject[] {
  const out: KubeObject[] = [];
  const json = parseJson(text);
  if (json) {
    addDocument(json.value, 0, source, out);
    return out;
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length) {
      throw new ManifestError(
        `${source}: document ${i + 1}: ${doc.errors[0].message}`,
      );
    }
    addDocument(doc.toJS(), i, source, out);
  });
  return out;
}

/** Adds the objects of document `i` (a `kind: ...List` is flattened) to `out`. */
function addDocument(
  value: unknown,
  i: number,
  source: string,
  out: KubeObject[],
) {
  if (value === null || value === undefined) return;
  const push = (v: unknown, where: string) => {
    if (!isPlainObject(v))
      throw new ManifestError(`${source}: ${where} is not an object`);
    if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') {
      throw new ManifestError(`${source}: ${where} needs apiVersion and kind`);
    }
    if (!isPlainObject(v.metadata)) {
      throw new ManifestError(`${source}: ${where} needs metadata`);
    }
    out.push(v as KubeObject);
  };
  if (
    isPlainObject(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  ) {
    value.items.forEach((item, j) =>
      push(item, `document ${i + 1} item ${j + 1}`),
    );
  } else {
    push(value, `document ${i + 1}`);
  }
}

/**
 * The value of text that is one JSON object or array which YAML would read
 * the same way; otherwise undefined.
 */
function parseJson(text: string): { value: unknown } | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // JSON.parse keeps the last of duplicate keys; YAML rejects them.
  if (countKeys(value) !== countJsonKeys(text)) return undefined;
  return { value };
}

/** How many object keys a parsed JSON value holds, nested ones included. */
function countKeys(value: unknown): number {
  if (Array.isArray(value)) {
    let n = 0;
    for (const v of value) n += countKeys(v);
    return n;
  }
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const k of Object.keys(value)) {
    n += 1 + countKeys((value as Record<string, unknown>)[k]);
  }
  return n;
}

/**
 * How many object keys valid JSON text spells out: strings followed by `:`.
 * More than countKeys() of its value means some key was repeated.
 */
function countJsonKeys(text: string): number {
  const colon = /[ \t\n\r]*:/y;
  let n = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    let close = text.indexOf('"', open + 1);
    while (isEscaped(text, close)) close = text.indexOf('"', close + 1);
    colon.lastIndex = close + 1;
    if (colon.test(text)) n++;
    open = text.indexOf('"', close + 1);
  }
  return n;
}

/** Whether the character at `i` follows an odd number of backslashes. */
function isEscaped(text: string, i: number): boolean {
  let backslashes = 0;
  while (text[i - 1 - backslashes] === '\\') backslashes++;
  return backslashes % 2 === 1;
}

/** Expands directories to their `*.yaml`/`*.yml` files (sorted, not recursive). */
export async function expandManifestPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => {
      throw new ManifestError(`${p}: no such file or directory`);
    });
    if (stat.isDirectory()) {
      const names = (await fs.readdir(p))
        .filter(n => /\.ya?ml$/i.test(n))
        .sort();
      files.push(...names.map(n => path.join(p, n)));
    } else {
      files.push(p);
    }
  }
  return files;
}

/** Reads every object from the given files and directories, in order. */
export async function loadManifestFiles(
  paths: string[],
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const file of await expandManifestPaths(paths)) {
    out.push(...parseManifests(await fs.readFile(file, 'utf8'), file));
  }
  return out;
}

export interface ManifestResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion?: string;
  action: 'created' | 'updated' | 'deleted';
}

function describe(
  type: ResourceType,
  o: KubeObject,
  action: ManifestResult['action'],
): ManifestResult {
  const r: ManifestResult = {
    apiVersion: groupVersion(type.group, type.versions[0]),
    kind: type.kind,
    name: o.metadata.name!,
    resourceVersion: o.metadata.resourceVersion,
    action,
  };
  if (o.metadata.namespace) r.namespace = o.metadata.namespace;
  return r;
}

type Planned = Map<string, { type: ResourceType; obj: KubeObject }>;

function objectId(type: ResourceType, o: KubeObject): string {
  return `${resourceKey(type)}|${o.metadata.namespace ?? ''}|${
    o.metadata.name
  }`;
}

/**
 * The objects to store, keyed by identity (a later duplicate wins), each
 * normalized and validated, so that nothing changes when one is invalid.
 */
function planManifests(ctx: ApiContext, objects: KubeObject[]): Planned {
  const planned: Planned = new Map();
  for (const input of objects) {
    const apiVersion = String(input.apiVersion ?? '');
    const kind = String(input.kind ?? '');
    const type = findResourceByKind(apiVersion, kind);
    if (!type) {
      throw badRequest(
        `no matches for kind "${kind}" in version "${apiVersion}"`,
      );
    }
    const version = apiVersion.split('/').pop()!;
    const obj = clone(input);
    obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
    if (type.namespaced)
      obj.metadata.namespace = obj.metadata.namespace || DEFAULT_NAMESPACE;
    else delete obj.metadata.namespace;
    for (const k of [
      'resourceVersion',
      'uid',
      'creationTimestamp',
      'generation',
    ] as const) {
      delete obj.metadata[k];
    }
    if (type.kind === 'Namespace') namespaceDefaults(obj);
    ctx.validate(type, version, obj);
    planned.set(objectId(type, obj), { type, obj });
  }
  return planned;
}

/** Deletes every object not planned, except the namespaces still needed. */
function deleteUnplanned(
  ctx: ApiContext,
  planned: Planned,
  needed: Set<string>,
  results: ManifestResult[],
) {
  // Contents before namespaces, so watchers see a namespace's objects go first.
  const ordered = [...RESOURCE_TYPES].sort(
    (a, b) => Number(a.kind === 'Namespace') - Number(b.kind === 'Namespace'),
  );
  for (const type of ordered) {
    for (const o of ctx.store.list(type)) {
      if (planned.has(objectId(type, o))) continue;
      if (type.kind === 'Namespace' && needed.has(o.metadata.name!)) continue;
      ctx.store.delete(type, o.metadata.namespace, o.metadata.name!);
      results.push(describe(type, o, 'deleted'));
    }
  }
}

/**
 * Loads manifests through the control API: validated like API writes, but
 * status is kept as given and missing namespaces are created. With
 * `replace`, every object not in the manifests is deleted first.
 */
export function applyManifests(
  ctx: ApiContext,
  objects: KubeObject[],
  options: { replace: boolean },
): ManifestResult[] {
  const planned = planManifests(ctx, objects);
  const needed = new Set<string>([DEFAULT_NAMESPACE]);
  for (const { type, obj } of planned.values()) {
    if (type.namespaced) needed.add(obj.metadata.namespace!);
    if (type.kind === 'Namespace') needed.add(obj.metadata.name!);
  }
  const results: ManifestResult[] = [];
  if (options.replace) deleteUnplanned(ctx, planned, needed, results);
  for (const ns of needed) {
    const declared = planned.has(`${resourceKey(NAMESPACE_TYPE)}||${ns}`);
    if (!declared && !ctx.store.has(NAMESPACE_TYPE, undefined, ns)) {
      const obj: KubeObject = { metadata: { name: ns } };
      namespaceDefaults(obj);
      results.push(
        describe(
          NAMESPACE_TYPE,
          ctx.store.create(NAMESPACE_TYPE, obj),
          'created',
        ),
      );
    }
  }
  // Namespaces first, so contents never land in a missing namespace.
  const entries = [...planned.values()].sort(
    (a, b) =>
      Number(b.type.kind === 'Namespace') - Number(a.type.kind === 'Namespace'),
  );
  for (const { type, obj } of entries) {
    const existed = ctx.store.has(
      type,
      obj.metadata.namespace,
      obj.metadata.name!,
    );
    const stored = ctx.store.upsert(type, obj);
    results.push(describe(type, stored, existed ? 'updated' : 'created'));
  }
  return results;
}
