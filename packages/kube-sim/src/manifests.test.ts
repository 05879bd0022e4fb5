import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expandManifestPaths,
  loadManifestFiles,
  ManifestError,
  parseManifests,
} from './manifests';

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
