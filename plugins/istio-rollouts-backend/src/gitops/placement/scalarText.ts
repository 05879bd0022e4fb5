import { parse, Scalar, stringify } from 'yaml';

/** Whether a string can be written plain: it reads back as the same string, in block or flow context. */
function plainSafe(value: string, inFlow: boolean): boolean {
  if (!/^[A-Za-z0-9_./][A-Za-z0-9_./ :@+=-]*$/.test(value)) return false;
  if (/ $|: | #|:$/.test(value)) return false;
  if (inFlow && /[,[\]{}]/.test(value)) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/** The text of a new scalar: plain when it reads back as itself, else double-quoted (JSON is YAML). */
export function newScalarText(
  value: unknown,
  inFlow = false,
): string | undefined {
  if (typeof value === 'string') {
    return plainSafe(value, inFlow) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : undefined;
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return undefined;
}

/**
 * The text that writes `value` in place of a scalar, in the scalar's style where it can hold it: a quoted
 * string stays quoted the same way, a plain one stays plain when that reads back right. Undefined for what
 * a splice cannot write (a block scalar, a multi-line string).
 */
export function replacementText(
  value: unknown,
  original: Scalar,
  inFlow: boolean,
): string | undefined {
  if (typeof value === 'string') {
    if (/[\n\r]/.test(value)) return undefined;
    switch (original.type) {
      case Scalar.QUOTE_DOUBLE:
        return JSON.stringify(value);
      case Scalar.QUOTE_SINGLE:
        return `'${value.replace(/'/g, "''")}'`;
      case Scalar.BLOCK_FOLDED:
      case Scalar.BLOCK_LITERAL:
        return undefined;
      default:
        return newScalarText(value, inFlow);
    }
  }
  if (
    original.type === Scalar.BLOCK_FOLDED ||
    original.type === Scalar.BLOCK_LITERAL
  ) {
    return undefined;
  }
  return newScalarText(value, inFlow);
}

/**
 * The lines of a new block value (a mapping or a list), indented by `indent` spaces, nested by `step`: what goes
 * under a new key or after a new list item's `- `.
 */
export function blockLines(
  value: unknown,
  indent: number,
  step: number,
): string[] {
  const pad = ' '.repeat(indent);
  return stringify(value, { indent: step })
    .replace(/\n$/, '')
    .split('\n')
    .map(line => (line ? pad + line : line));
}
