import { cannotPlace } from './CannotPlace';
import { applyJson6902, isJson6902 } from './json6902';
import {
  describeDir,
  joinPath,
  parseDocuments,
  ParsedDocument,
  RepositoryFiles,
} from './repositoryFiles';
import { RenderedMap, renderNode, Source } from './renderedTree';
import {
  currentId,
  describeId,
  idOf,
  matchesPatchId,
  matchesSelector,
  Resource,
  resourcesOf,
  Selector,
  setMetadata,
} from './resources';
import { strategicMerge } from './strategicMerge';
import {
  isRemote,
  list,
  requireModelledFields,
  text,
} from './kustomizationFields';

/** The names kustomize reads a kustomization from, in a directory. */
const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** The kustomization file of a directory, if it has one; several are an error to kustomize. */
export async function kustomizationFileIn(
  files: RepositoryFiles,
  dir: string,
): Promise<string | undefined> {
  const names = new Set(
    (await files.list(dir))?.filter(e => e.type === 'file').map(e => e.name),
  );
  const found = KUSTOMIZATION_FILES.filter(n => names.has(n));
  if (found.length > 1) {
    cannotPlace(
      `${describeDir(dir)} has several kustomization files (${found.join(
        ', ',
      )}), which kustomize refuses`,
    );
  }
  return found.length ? joinPath(dir, found[0], dir) : undefined;
}

/** A kustomization being built: its file, fields, and the objects accumulated so far. */
interface Build {
  files: RepositoryFiles;
  dir: string;
  file: string;
  fields: Record<string, unknown>;
  resources: Resource[];
  /** The layer all of its patches belong to: two of them setting one value are two candidates. */
  patchLayer: string;
}

/** The documents of a patch: a file, or an inline string (whose values cannot be edited in place). */
async function patchDocuments(
  build: Build,
  entry: { path?: string; patch?: string },
  field: string,
): Promise<Array<{ doc: ParsedDocument; source: Source }>> {
  const { files, dir, file, patchLayer: layer } = build;
  if (entry.path) {
    const path = joinPath(dir, entry.path, file);
    const docs = await files.documents(path, `${field} of ${file}`);
    const fileText = await files.require(path, file);
    return docs.map(doc => ({
      doc,
      source: { file: path, text: fileText, layer, uses: files.usesOf(doc) },
    }));
  }
  if (entry.patch) {
    const locked = `it is written in an inline patch string in ${file}`;
    return parseDocuments(file, entry.patch).map(doc => ({
      doc,
      source: { file, text: '', layer, locked, uses: new Set() },
    }));
  }
  return cannotPlace(
    `an entry of ${field} in ${file} has neither a path nor a patch`,
  );
}

/** The objects a patch applies to: its target's selection, or the one object it names itself. */
function patchTargets(
  build: Build,
  doc: ParsedDocument,
  source: Source,
  target: Selector | undefined,
): Resource[] {
  if (target) {
    return build.resources.filter(r => matchesSelector(r, target, build.file));
  }
  if (isJson6902(doc)) {
    cannotPlace(
      `the JSON 6902 patch ${source.file} in ${build.file} has no target`,
    );
  }
  const id = idOf(renderNode(doc.doc.contents, doc.doc, source));
  if (!id) {
    return cannotPlace(`the patch ${source.file} names no kind and name`);
  }
  const targets = build.resources.filter(r => matchesPatchId(r, id));
  if (targets.length !== 1) {
    cannotPlace(
      `the patch ${source.file} (for ${describeId(id)}) matches ${
        targets.length
      } objects of ${build.file}, so kustomize would refuse it`,
    );
  }
  return targets;
}

/** kustomize gives a strategic-merge patch with a target each selected object's identity before merging it. */
function withoutIdentity(patch: RenderedMap): RenderedMap {
  patch.entries.delete('apiVersion');
  patch.entries.delete('kind');
  const metadata = patch.entries.get('metadata')?.value;
  if (metadata?.kind === 'map') {
    metadata.entries.delete('name');
    metadata.entries.delete('namespace');
  }
  return patch;
}

/** Applies one patch document to the objects it targets: a strategic merge or a JSON 6902 patch. */
function applyPatch(
  build: Build,
  doc: ParsedDocument,
  source: Source,
  target: Selector | undefined,
): void {
  for (const resource of patchTargets(build, doc, source, target)) {
    source.uses.add(resource);
    if (isJson6902(doc)) {
      applyJson6902(resource.object, doc, source);
    } else {
      const patch = renderNode(
        doc.doc.contents,
        doc.doc,
        source,
        source.locked,
      );
      if (patch.kind !== 'map') {
        cannotPlace(`the patch ${source.file} is not a mapping`);
      }
      strategicMerge(
        resource.object,
        target ? withoutIdentity(patch) : patch,
        source.file,
      );
    }
    const before = currentId(resource);
    const after = idOf(resource.object);
    if (after?.name !== before.name || after.kind !== before.kind) {
      cannotPlace(
        `the patch ${source.file} renames ${describeId(
          before,
        )}, which placement does not follow`,
      );
    }
  }
}

/** Applies the patches a field lists, in order: paths, inline patches, or entries with a path or patch and a target. */
async function applyPatches(build: Build, field: string, entries: unknown[]) {
  for (const raw of entries) {
    let entry: { path?: string; patch?: string; target?: Selector };
    if (typeof raw === 'string') {
      // patchesStrategicMerge lists paths, or inline patches written as strings.
      entry = raw.includes('\n') ? { patch: raw } : { path: raw };
    } else if (raw && typeof raw === 'object') {
      const r = raw as Record<string, unknown>;
      entry = {
        path: text(r.path, field, build.file),
        patch: text(r.patch, field, build.file),
        target: (r.target ?? undefined) as Selector | undefined,
      };
    } else {
      cannotPlace(
        `an entry of ${field} in ${build.file} is neither a path nor a patch`,
      );
    }
    if (field === 'patchesJson6902' && !entry.target) {
      cannotPlace(`an entry of patchesJson6902 in ${build.file} has no target`);
    }
    for (const { doc, source } of await patchDocuments(build, entry, field)) {
      applyPatch(build, doc, source, entry.target);
    }
  }
}

/** Reads the resources a kustomization lists (`resources`, legacy `bases`): files, and kustomizations in turn. */
async function accumulate(build: Build, chain: string[]): Promise<void> {
  const { files, dir, file, fields } = build;
  const entries = [
    ...list(fields.resources, 'resources', file),
    ...list(fields.bases, 'bases', file),
  ];
  const layer = `the resources of ${file}`;
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      cannotPlace(`an entry of resources in ${file} is not a path`);
    }
    if (isRemote(entry)) {
      cannotPlace(
        `${file} includes the remote resource ${entry}; placement reads only this repository`,
      );
    }
    const path = joinPath(dir, entry, file);
    const fileText = await files.read(path);
    if (fileText !== undefined) {
      for (const doc of await files.documents(path, file)) {
        build.resources.push(
          ...resourcesOf(doc, {
            file: path,
            text: fileText,
            layer,
            uses: files.usesOf(doc),
          }),
        );
      }
    } else if (await files.list(path)) {
      build.resources.push(...(await buildKustomization(files, path, chain)));
    } else {
      cannotPlace(`${file} includes ${entry}, which does not exist`);
    }
  }
  const seen = new Map<string, Resource>();
  for (const r of build.resources) {
    const id = currentId(r);
    const key = `${id.apiVersion}|${id.kind}|${id.namespace ?? ''}|${id.name}`;
    const other = seen.get(key);
    if (other) {
      cannotPlace(
        `${describeId(id)} is defined twice among the resources of ${file} (${
          other.file
        } and ${r.file}), which kustomize refuses`,
      );
    }
    seen.set(key, r);
  }
}

/**
 * Builds the kustomization in `dir` the way kustomize does, as far as placement needs: its resources (files,
 * and directories built as kustomizations in turn), then its patches in kustomize's order — strategic-merge
 * patches, `patches`, the `namespace` field, `namePrefix`/`nameSuffix`, and last the legacy `patchesJson6902`.
 * Each value of each object remembers its last writer. Anything that could change a value in a way this does
 * not model is answered cannot-place.
 */
export async function buildKustomization(
  files: RepositoryFiles,
  dir: string,
  chain: string[] = [],
): Promise<Resource[]> {
  const file = await kustomizationFileIn(files, dir);
  if (!file) {
    const names = (await files.list(dir))?.map(e => e.name) ?? [];
    if (names.includes('Chart.yaml')) {
      cannotPlace(
        `${dir} is a Helm chart (it has a Chart.yaml): its objects are rendered from templates`,
      );
    }
    return cannotPlace(
      `${describeDir(
        dir,
      )} is included as a kustomization, but has no kustomization.yaml`,
    );
  }
  if (chain.includes(file)) {
    cannotPlace(`${file} includes itself (${[...chain, file].join(' → ')})`);
  }
  const docs = await files.documents(file, file);
  const fields = docs.length === 1 ? docs[0].doc.toJS() : undefined;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
    return cannotPlace(`${file} is not a kustomization (one mapping)`);
  }
  if (fields.kind !== undefined && fields.kind !== 'Kustomization') {
    cannotPlace(`${file} is a ${fields.kind}, not a Kustomization`);
  }
  requireModelledFields(file, fields);
  const own = (what: string): Source => ({
    file,
    text: '',
    layer: `the ${what} field of ${file}`,
    locked: `it is set by the ${what} field of ${file}`,
    uses: new Set(),
  });
  const build: Build = {
    files,
    dir,
    file,
    fields,
    resources: [],
    patchLayer: `the patches of ${file}`,
  };
  await accumulate(build, [...chain, file]);

  await applyPatches(
    build,
    'patchesStrategicMerge',
    list(fields.patchesStrategicMerge, 'patchesStrategicMerge', file),
  );
  await applyPatches(build, 'patches', list(fields.patches, 'patches', file));
  const namespace = text(fields.namespace, 'namespace', file);
  if (namespace) {
    const source = own('namespace');
    build.resources.forEach(r =>
      setMetadata(r, 'namespace', namespace, source),
    );
  }
  const prefix = text(fields.namePrefix, 'namePrefix', file) ?? '';
  const suffix = text(fields.nameSuffix, 'nameSuffix', file) ?? '';
  if (prefix || suffix) {
    const source = own(prefix ? 'namePrefix' : 'nameSuffix');
    build.resources.forEach(r =>
      setMetadata(r, 'name', `${prefix}${currentId(r).name}${suffix}`, source),
    );
  }
  await applyPatches(
    build,
    'patchesJson6902',
    list(fields.patchesJson6902, 'patchesJson6902', file),
  );
  return build.resources;
}
