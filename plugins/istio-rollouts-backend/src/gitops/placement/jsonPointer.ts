import { cannotPlace } from './CannotPlace';

/** The tokens of a JSON Pointer (RFC 6901): `/spec/http/0` → `['spec', 'http', '0']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    return cannotPlace(`"${pointer}" is not a JSON Pointer`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON Pointer of tokens. */
export function formatPointer(tokens: readonly string[]): string {
  return tokens
    .map(t => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** A list index token (`0`, `12`; not `01` or `-`), as a number, or undefined. */
export function indexToken(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
