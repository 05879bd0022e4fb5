import type { JsonPatchOperation } from '@internal/plugin-istio-rollouts-common';
import { cannotPlace } from './CannotPlace';
import { disagreement, EditContext, show, where } from './editContext';
import { indexToken, parsePointer } from './jsonPointer';
import { lookup, RenderedMap, sameJson, toJson } from './renderedTree';
import { addKey, appendItem, removeItem, removeKey } from './structuralEdits';
import type { TextEdit } from './textEdits';
import type { PlacementEdit } from './types';
import { replaceValue } from './valueEdits';

/** The cluster's optimistic lock (the resourceVersion the user loaded): Git has nothing like it. */
export function isClusterGuard(op: JsonPatchOperation): boolean {
  return op.path === '/metadata/resourceVersion';
}

/** The operations that mean something in Git: all but the resourceVersion guard. */
export function gitOperations(
  operations: JsonPatchOperation[],
): JsonPatchOperation[] {
  return operations.filter(op => !isClusterGuard(op));
}

/** A `test`: the repository must say what the cluster said when the change was planned. */
function checkTest(ctx: EditContext, pointer: string, expected: unknown) {
  const found = lookup(ctx.root, parsePointer(pointer))?.at(-1);
  if (!found) {
    disagreement(ctx, pointer, 'no value', show(expected));
  }
  const actual = toJson(found);
  if (!sameJson(actual, expected)) {
    disagreement(
      ctx,
      pointer,
      `${show(actual)} (${where(found)})`,
      show(expected),
    );
  }
}

function placeAdd(ctx: EditContext, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  const parentPath = lookup(ctx.root, tokens.slice(0, -1));
  const parent = parentPath?.at(-1);
  if (!parentPath || !parent || parent.kind === 'scalar') {
    disagreement(ctx, pointer, 'no place for it', 'one');
  }
  const last = tokens[tokens.length - 1];
  if (parent.kind === 'map') {
    const existing = parent.entries.get(last)?.value;
    if (existing) {
      // The planner adds only what the cluster lacks.
      disagreement(
        ctx,
        pointer,
        `${show(toJson(existing))} (${where(existing)})`,
        'no value',
      );
    }
    addKey(ctx, parentPath, tokens, value);
    return;
  }
  const index = last === '-' ? parent.items.length : indexToken(last);
  if (index !== parent.items.length) {
    cannotPlace(
      `${ctx.label}: ${pointer} inserts into the middle of a list, which is not placed`,
    );
  }
  appendItem(ctx, parentPath, [...tokens.slice(0, -1), '-'], value);
}

function placeRemove(ctx: EditContext, pointer: string): void {
  const tokens = parsePointer(pointer);
  const path = lookup(ctx.root, tokens);
  if (!path || tokens.length === 0) {
    disagreement(ctx, pointer, 'no value', 'one to remove');
  }
  const parent = path[path.length - 2];
  if (parent.kind === 'map') {
    removeKey(ctx, path, tokens);
  } else {
    removeItem(ctx, path, tokens, toJson(path[path.length - 1]));
  }
}

function placeOperation(ctx: EditContext, op: JsonPatchOperation): void {
  switch (op.op) {
    case 'test':
      checkTest(ctx, op.path, op.value);
      return;
    case 'replace': {
      const tokens = parsePointer(op.path);
      const path = lookup(ctx.root, tokens);
      if (!path) {
        disagreement(ctx, op.path, 'no value', 'one to replace');
      }
      replaceValue(ctx, path, tokens, op.value);
      return;
    }
    case 'add':
      placeAdd(ctx, op.path, op.value);
      return;
    case 'remove':
      placeRemove(ctx, op.path);
      return;
    default:
      cannotPlace(
        `${ctx.label}: the ${op.op} operation at ${op.path} is not placed`,
      );
  }
}

/**
 * Places one object's operations, in order, on its rendered object: `test`s are checked against the
 * repository, `replace`s spliced into the last writer of each value, `add`s and `remove`s done as whole lines.
 * The rendered object follows along, so later operations see the indexes the earlier ones left.
 */
export function placeOperations(
  label: string,
  root: RenderedMap,
  operations: JsonPatchOperation[],
): { textEdits: TextEdit[]; edits: PlacementEdit[] } {
  const ctx: EditContext = {
    label,
    root,
    textEdits: [],
    edits: [],
    shortened: new Set(),
  };
  for (const op of gitOperations(operations)) placeOperation(ctx, op);
  return { textEdits: ctx.textEdits, edits: ctx.edits };
}
