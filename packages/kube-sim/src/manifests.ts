/*
 * Reading manifests: multi-document YAML (or JSON), `kind: List` flattened,
 * from text or from files and directories.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isPlainObject, KubeObject } from './objects';

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
