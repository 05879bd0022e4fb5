/*
 * Reading manifests: multi-document YAML (or JSON), `kind: List` flattened,
 * from text or from files and directories.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isPlainObject, KubeObject } from './objects';

export class ManifestError extends Error {}

/** Parses YAML/JSON text into objects; empty documents are skipped. */
export function parseManifests(
  text: string,
  source = 'manifest',
): KubeObject[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: KubeObject[] = [];
  list.forEach((doc, i) => {
    if (doc.errors.length) {
      throw new ManifestError(
        `${source}: document ${i + 1}: ${doc.errors[0].message}`,
      );
    }
    const value = doc.toJS();
    if (value === null || value === undefined) return;
    const push = (v: unknown, where: string) => {
      if (!isPlainObject(v))
        throw new ManifestError(`${source}: ${where} is not an object`);
      if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') {
        throw new ManifestError(
          `${source}: ${where} needs apiVersion and kind`,
        );
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
  });
  return out;
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
