import {
  applyObjectPatch,
  ActionKubeObject,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import { CannotPlace, cannotPlace } from './CannotPlace';
import { changeAsText } from './changeAsText';
import { gitOperations, placeOperations } from './placeOperations';
import { RepositoryFiles } from './repositoryFiles';
import { sameJson, toJson } from './renderedTree';
import {
  describeTarget,
  renderSource,
  selectTarget,
  sourceDir,
} from './renderSource';
import type { Resource } from './resources';
import { applyTextEdits, TextEdit } from './textEdits';
import type {
  PlacedFile,
  PlacementEdit,
  PlacementInput,
  PlacementResult,
} from './types';

/** The object a patch should leave in Git: the planner's operations applied to what the repository renders. */
function expectedObject(rendered: unknown, patch: RolloutObjectPatch): unknown {
  try {
    return applyObjectPatch(rendered as ActionKubeObject, {
      operations: gitOperations(patch.operations),
    });
  } catch (e) {
    return cannotPlace(
      `${describeTarget(
        patch,
      )}: the change does not apply to the object the repository renders (${
        (e as Error).message.split('\n')[0]
      })`,
    );
  }
}

/** The edited files' texts, by path, with their originals. */
async function editedFiles(
  files: RepositoryFiles,
  textEdits: TextEdit[],
): Promise<PlacedFile[]> {
  const paths = [...new Set(textEdits.map(e => e.file))].sort();
  const out: PlacedFile[] = [];
  for (const path of paths) {
    const before = await files.require(path, 'the placement');
    const after = applyTextEdits(
      path,
      before,
      textEdits.filter(e => e.file === path),
    );
    out.push({ path, before, after });
  }
  return out;
}

/** Notes for a reviewer: edited files outside the synced directory may be shared by other overlays. */
function notesFor(files: PlacedFile[], dir: string): string[] {
  return files
    .filter(f => dir !== '' && !f.path.startsWith(`${dir}/`))
    .map(
      f =>
        `${f.path} lies outside the synced directory ${dir}: anything else that includes it changes too`,
    );
}

/**
 * Places a planned change in the repository the GitOps tool syncs from: renders the synced directory (plain
 * manifests or a kustomization, layer by layer), checks the planner's `test` operations against it, edits the
 * last writer of every value the operations change (byte for byte the same text elsewhere), and renders the
 * edited repository again to check that it yields exactly the object the planner meant. Whenever a step could
 * only guess, it answers why and the change as text instead.
 *
 * Pure: it reads through `reader` and writes nothing. Errors of the reader are thrown.
 */
export async function placeChange(
  input: PlacementInput,
): Promise<PlacementResult> {
  const { reader, source, patches } = input;
  try {
    const files = new RepositoryFiles(reader);
    const resources = await renderSource(files, source);
    const textEdits: TextEdit[] = [];
    const edits: PlacementEdit[] = [];
    // What each edited object should render as afterwards; every other object must render as before.
    const expected = new Map<Resource, unknown>();
    for (const patch of patches) {
      const target = selectTarget(resources, patch, source);
      const before = toJson(target.object);
      const placed = placeOperations(
        describeTarget(patch),
        target.object,
        patch.operations,
      );
      textEdits.push(...placed.textEdits);
      edits.push(...placed.edits);
      expected.set(target, expectedObject(before, patch));
    }
    const untouched = resources
      .filter(r => !expected.has(r))
      .map(r => toJson(r.object));
    const placedFiles = await editedFiles(files, textEdits);

    // The check that makes the edit certain: the edited repository renders what the planner meant.
    const after = new Map(placedFiles.map(f => [f.path, f.after]));
    const check = await renderSource(
      new RepositoryFiles(reader, after),
      source,
    );
    const checked = new Set<Resource>();
    patches.forEach(patch => {
      const rendered = selectTarget(check, patch, source);
      const wanted = expected.get(selectTarget(resources, patch, source));
      checked.add(rendered);
      if (!sameJson(toJson(rendered.object), wanted)) {
        cannotPlace(
          `${describeTarget(
            patch,
          )}: the edited repository would not render the object the change means ` +
            `(a layer the placement does not see through reshapes it)`,
        );
      }
    });
    const others = check
      .filter(r => !checked.has(r))
      .map(r => toJson(r.object));
    if (!sameJson(others, untouched)) {
      cannotPlace(
        'the edit would also change other objects the GitOps tool applies',
      );
    }
    return {
      placed: true,
      files: placedFiles,
      edits,
      notes: notesFor(placedFiles, sourceDir(source)),
    };
  } catch (e) {
    if (e instanceof CannotPlace) {
      return {
        placed: false,
        reason: e.reason,
        patch: changeAsText(patches, e.reason),
      };
    }
    throw e;
  }
}
