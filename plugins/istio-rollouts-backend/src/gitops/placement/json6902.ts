import { isMap, isScalar, isSeq } from 'yaml';
import { cannotPlace } from './CannotPlace';
import { formatPointer, indexToken, parsePointer } from './jsonPointer';
import type { ParsedDocument } from './repositoryFiles';
import {
  lookup,
  Rendered,
  renderNode,
  replacing,
  sameJson,
  Source,
  syntheticValue,
  toJson,
} from './renderedTree';

/** One operation of a JSON 6902 patch in the repository; its value is rendered afresh for each object. */
interface RepositoryOperation {
  op: string;
  path: string[];
  from?: string[];
  value?: unknown;
  /** Whether the operation is written in flow style (`{"op": …}`, as in a JSON file). */
  inFlow: boolean;
}

/** Whether a patch document is a JSON 6902 patch (a list of operations) rather than a strategic merge. */
export function isJson6902(parsed: ParsedDocument): boolean {
  return isSeq(parsed.doc.contents);
}

/** The operations of a JSON 6902 patch document. */
function readOperations(parsed: ParsedDocument): RepositoryOperation[] {
  const { doc, file } = parsed;
  const list = doc.contents;
  if (!isSeq(list)) {
    return cannotPlace(
      `${file} is not a JSON 6902 patch (a list of operations)`,
    );
  }
  return list.items.map((item, i) => {
    const field = (name: string) => {
      const node = isMap(item) ? item.get(name, true) : undefined;
      return isScalar(node) ? node.value : undefined;
    };
    const op = field('op');
    const path = field('path');
    if (typeof op !== 'string' || typeof path !== 'string') {
      return cannotPlace(
        `operation ${
          i + 1
        } of ${file} has no op or path, so kustomize would refuse it`,
      );
    }
    const from = field('from');
    return {
      op,
      path: parsePointer(path),
      from: typeof from === 'string' ? parsePointer(from) : undefined,
      value: isMap(item) ? item.get('value', true) : undefined,
      inFlow: Boolean(list.flow) || (isMap(item) && Boolean(item.flow)),
    };
  });
}

function failure(op: RepositoryOperation, file: string, why: string): never {
  return cannotPlace(
    `the ${op.op} of ${formatPointer(
      op.path,
    )} in ${file} ${why}, so kustomize cannot build the object`,
  );
}

/** The parent of a pointer in `target`, which must exist. */
function parentOf(
  target: Rendered,
  tokens: string[],
  op: RepositoryOperation,
  file: string,
) {
  const parent = lookup(target, tokens.slice(0, -1))?.at(-1);
  if (!parent || parent.kind === 'scalar') {
    return failure(op, file, 'names a place the object does not have');
  }
  return { parent, token: tokens[tokens.length - 1] };
}

/** Takes the value at a pointer out of `target` (a JSON Patch `remove`), answering it. */
function take(
  target: Rendered,
  tokens: string[],
  op: RepositoryOperation,
  source: Source,
): Rendered {
  const { parent, token } = parentOf(target, tokens, op, source.file);
  if (parent.kind === 'map') {
    const entry = parent.entries.get(token);
    if (!entry) return failure(op, source.file, 'names no value');
    parent.entries.delete(token);
    parent.deleted.set(token, source);
    return entry.value;
  }
  const index = indexToken(token);
  if (index === undefined || index >= parent.items.length) {
    return failure(op, source.file, 'names no list item');
  }
  parent.reshaped = true;
  return parent.items.splice(index, 1)[0];
}

/** Writes a value at a pointer of `target` (a JSON Patch `add` or `replace`). */
function put(
  target: Rendered,
  tokens: string[],
  value: Rendered,
  op: RepositoryOperation,
  file: string,
): void {
  if (tokens.length === 0) {
    failure(op, file, 'replaces the whole object');
  }
  const { parent, token } = parentOf(target, tokens, op, file);
  if (parent.kind === 'map') {
    const existing = parent.entries.get(token);
    if (op.op === 'replace' && !existing) {
      failure(op, file, 'names no value');
    }
    // The key stays written where it was, but its value now comes from the patch: no single place holds both.
    parent.entries.set(token, { value: replacing(value, existing?.value) });
    parent.deleted.delete(token);
    return;
  }
  const index =
    token === '-' && op.op !== 'replace'
      ? parent.items.length
      : indexToken(token);
  const limit = parent.items.length - (op.op === 'replace' ? 1 : 0);
  if (index === undefined || index > limit) {
    failure(op, file, 'names no list item');
  }
  if (op.op === 'replace') {
    parent.items[index] = replacing(value, parent.items[index]);
  } else {
    parent.items.splice(index, 0, value);
    parent.reshaped = true;
  }
}

/** The `from` of a move or copy, which it must have. */
function fromOf(op: RepositoryOperation, file: string): string[] {
  return op.from ?? failure(op, file, 'has no from');
}

/** A copied value: the same written text would define two values, so editing it is refused. */
function copied(
  target: Rendered,
  op: RepositoryOperation,
  source: Source,
): Rendered {
  const original = lookup(target, fromOf(op, source.file))?.at(-1);
  if (!original) return failure(op, source.file, 'copies nothing');
  return syntheticValue(toJson(original), {
    ...source,
    locked: `it is copied by a JSON patch in ${source.file}`,
  });
}

/**
 * Applies a JSON 6902 patch of the repository to an object, as kustomize does: the values it writes are
 * rendered from the patch file, so that the placement edits the operation's `value` when it is the last writer.
 */
export function applyJson6902(
  target: Rendered,
  parsed: ParsedDocument,
  source: Source,
): void {
  const { file, doc } = parsed;
  for (const op of readOperations(parsed)) {
    const value = () =>
      op.value === undefined
        ? failure(op, file, 'has no value')
        : renderNode(op.value, doc, source, source.locked, op.inFlow);
    switch (op.op) {
      case 'test': {
        const at = lookup(target, op.path)?.at(-1);
        const expected = value();
        if (!at || !sameJson(toJson(at), toJson(expected))) {
          failure(op, file, 'fails on the object the repository renders');
        }
        break;
      }
      case 'add':
      case 'replace':
        put(target, op.path, value(), op, file);
        break;
      case 'remove':
        take(target, op.path, op, source);
        break;
      case 'move':
        put(
          target,
          op.path,
          take(target, fromOf(op, file), op, source),
          { ...op, op: 'add' },
          file,
        );
        break;
      case 'copy':
        put(
          target,
          op.path,
          copied(target, op, source),
          { ...op, op: 'add' },
          file,
        );
        break;
      default:
        failure(op, file, 'is not a JSON Patch operation');
    }
  }
}
