/**
 * Words joined for a sentence: `a`, `a and b`, `a, b and c` (or another conjunction). One rule for every message
 * the plugins write, server and tab alike.
 * @public
 */
export function listWords(words: string[], conjunction = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${
    words[words.length - 1]
  }`;
}
