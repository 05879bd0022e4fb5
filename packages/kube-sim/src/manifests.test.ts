import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  expandManifestPaths,
  loadManifestFiles,
  ManifestError,
  parseManifests,
} from './manifests';

// The YAML parser, watched: JSON should only reach it when JSON.parse fails.
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, parseAllDocuments: jest.fn(actual.parseAllDocuments) };
});
const parseYaml = parseAllDocuments as jest.MockedFunction<
  typeof parseAllDocuments
>;

describe('parseManifests', () => {
  it('reads multi-document YAML, skipping empty documents', () => {
    const objs = parseManifests(`
---
apiVersion: v1
kind: Namespace
metadata: { name: a }
---
# only a comment
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d, namespace: a }
`);
    expect(objs.map(o => o.kind)).toEqual(['Namespace', 'Deployment']);
  });

  it('reads JSON and flattens kind: List', () => {
    const objs = parseManifests(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
        ],
      }),
    );
    expect(objs.map(o => o.metadata.name)).toEqual(['a', 'b']);
  });

  it.each([
    ['a: [', /document 1/],
    ['- 1', /not an object/],
    ['kind: Namespace\nmetadata: {name: a}', /needs apiVersion and kind/],
    ['apiVersion: v1\nkind: Namespace', /needs metadata/],
  ])('rejects %j', (text, message) => {
    expect(() => parseManifests(text)).toThrow(ManifestError);
    expect(() => parseManifests(text)).toThrow(message);
  });
});

describe('parseManifests with JSON', () => {
  const ns = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  beforeEach(() => parseYaml.mockClear());

  it('reads a JSON List or object with JSON.parse, not the YAML parser', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        ns('a'),
        {
          ...ns('b'),
          metadata: {
            name: 'b',
            annotations: { note: 'say "x": \\"y\\" é', '"k": v': '' },
          },
        },
      ],
    };
    expect(parseManifests(`\n  ${JSON.stringify(list, null, 2)}\n`)).toEqual(
      list.items,
    );
    expect(parseManifests(JSON.stringify(ns('c')))).toEqual([ns('c')]);
    expect(parseYaml).not.toHaveBeenCalled();
  });

  it('reports JSON that is not a manifest as it does YAML', () => {
    expect(() => parseManifests('[{"apiVersion": "v1"}]')).toThrow(
      'manifest: document 1 is not an object',
    );
    expect(() =>
      parseManifests(
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ns('a'), 3] }),
        'list.json',
      ),
    ).toThrow('list.json: document 1 item 2 is not an object');
    expect(() => parseManifests('{"kind": "Namespace"}')).toThrow(
      /needs apiVersion and kind/,
    );
  });

  it('falls back to YAML for what JSON.parse refuses', () => {
    // Flow YAML and several documents are not JSON.
    expect(
      parseManifests(
        '{"apiVersion": v1, kind: Namespace, metadata: {name: a}}',
      ),
    ).toEqual([ns('a')]);
    expect(
      parseManifests(
        `${JSON.stringify(ns('a'))}\n---\n${JSON.stringify(ns('b'))}`,
      ),
    ).toEqual([ns('a'), ns('b')]);
    expect(parseYaml).toHaveBeenCalledTimes(2);
    // Broken JSON is broken YAML, reported by the YAML parser as before.
    for (const text of ['{"apiVersion": "v1", "kind": [}', '[ {"a": 1}, ']) {
      expect(() => parseManifests(text, 'bad.json')).toThrow(ManifestError);
      expect(() => parseManifests(text, 'bad.json')).toThrow(
        /^bad\.json: document 1: /,
      );
    }
  });

  it('rejects duplicate keys as YAML does, however they are spelled', () => {
    for (const text of [
      '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}, "kind": "Pod"}',
      '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "labels": {"x\\\\": "1", "x\\u005c" : "2"}}}',
    ]) {
      expect(() => parseManifests(text)).toThrow(
        /^manifest: document 1: Map keys must be unique/,
      );
    }
    // Equal text in values, or in keys of different objects, is no duplicate.
    expect(
      parseManifests(
        '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kind", "labels": {"kind": "kind"}}}',
      ),
    ).toHaveLength(1);
  });
});

describe('loadManifestFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-'));
    await mkdir(join(dir, 'd'));
    await writeFile(
      join(dir, 'd', 'b.yml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
    );
    await writeFile(
      join(dir, 'd', 'a.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
    );
    await writeFile(join(dir, 'd', 'notes.txt'), 'ignored');
    await writeFile(
      join(dir, 'c.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads files and sorted *.yaml/*.yml of directories, in order', async () => {
    const objs = await loadManifestFiles([join(dir, 'c.yaml'), join(dir, 'd')]);
    expect(objs.map(o => o.metadata.name)).toEqual(['c', 'a', 'b']);
    expect(await expandManifestPaths([join(dir, 'd')])).toEqual([
      join(dir, 'd', 'a.yaml'),
      join(dir, 'd', 'b.yml'),
    ]);
  });

  it('names a missing path', async () => {
    await expect(
      loadManifestFiles([join(dir, 'missing.yaml')]),
    ).rejects.toThrow(/missing.yaml: no such file/);
  });
});
