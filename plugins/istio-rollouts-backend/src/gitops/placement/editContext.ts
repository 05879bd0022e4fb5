import { cannotPlace } from './CannotPlace';
import type {
  Rendered,
  RenderedMap,
  RenderedSeq,
  Source,
} from './renderedTree';
import { yamlNodeOf } from './renderedTree';
import { lineOf, TextEdit } from './textEdits';
import type { PlacementEdit } from './types';

/** What placing one object's operations builds up, and the object as the operations so far leave it. */
export interface EditContext {
  /** How messages name the object: `VirtualService default/reviews`. */
  label: string;
  root: RenderedMap;
  textEdits: TextEdit[];
  edits: PlacementEdit[];
  /** Lists this change removed items from: appending to them too would interleave two edits. */
  shortened: Set<RenderedSeq>;
}

/** A value for a message: `50`, `"blue"`, `{"number":9090}`. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Where a rendered value is written: `overlays/prod/patch.yaml line 12`, or what sets it. */
export function where(r: Rendered): string {
  const node = yamlNodeOf(r);
  if (r.source.locked && !node?.range)
    return r.source.locked.replace(/^it is /, '');
  if (node?.range && r.source.text) {
    return `${r.source.file} line ${lineOf(r.source.text, node.range[0])}`;
  }
  return r.source.file;
}

/** The repository and the cluster the plan was made on say different things: placing would be a guess. */
export function disagreement(
  ctx: EditContext,
  pointer: string,
  repository: string,
  cluster: string,
): never {
  return cannotPlace(
    `${ctx.label}: at ${pointer} the repository has ${repository} but the cluster, which the change was planned ` +
      `on, has ${cluster}; the repository and the cluster disagree (a sync may be pending, or the object was ` +
      `changed outside Git), so the change is not placed`,
  );
}

/**
 * The document a value may be edited in, after the checks that make the edit certain: it is written in a file
 * (not by a kustomize field, an inline patch string or an alias), that document applies to this object only,
 * and no other document of the same layer also sets it (two patches of one overlay: which one to edit is a
 * guess). `path` runs from the root to the value; `source` is where the edit goes when it is not the value's
 * own (a mapping that gets a key).
 */
export function requireEditable(
  ctx: EditContext,
  path: Rendered[],
  pointer: string,
  source: Source = path[path.length - 1].source,
  locked: string | undefined = path[path.length - 1].locked,
): Source {
  const why = locked ?? source.locked;
  if (why) {
    cannotPlace(`${ctx.label}: ${pointer} cannot be edited in place: ${why}`);
  }
  if (source.uses.size > 1) {
    cannotPlace(
      `${ctx.label}: ${pointer} is written in ${source.file}, which applies to ${source.uses.size} objects; ` +
        `editing it would change all of them`,
    );
  }
  const rivals = path
    .flatMap(r => r.overrides)
    .filter(s => s.layer === source.layer && s !== source);
  if (rivals.length > 0) {
    const files = new Set([...rivals, source].map(s => s.file));
    cannotPlace(
      `${ctx.label}: ${pointer} is set by several documents of ${
        source.layer
      } (${[...files].join(', ')}); which one to edit is a guess`,
    );
  }
  return source;
}
