import { CannotPlace } from './CannotPlace';
import { applyTextEdits, lineOf, wholeLines } from './textEdits';

describe('applyTextEdits', () => {
  const text = 'a: 1\nb: 2\nc: 3\n';

  it('applies edits to the original offsets, insertions at one place in the order made', () => {
    expect(
      applyTextEdits('f.yaml', text, [
        { file: 'f.yaml', start: 3, end: 4, text: '10' },
        { file: 'f.yaml', start: 10, end: 10, text: 'x: 1\n' },
        { file: 'f.yaml', start: 10, end: 10, text: 'y: 2\n' },
        { file: 'f.yaml', start: 13, end: 14, text: '30' },
      ]),
    ).toBe('a: 10\nb: 2\nx: 1\ny: 2\nc: 30\n');
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      applyTextEdits('f.yaml', text, [
        { file: 'f.yaml', start: 5, end: 10, text: '' },
        { file: 'f.yaml', start: 8, end: 9, text: '20' },
      ]),
    ).toThrow(CannotPlace);
  });
});

describe('line helpers', () => {
  it('count lines from 1 and cover whole lines', () => {
    const text = 'a: 1\nb: |\n  x\nc: 3';
    expect(lineOf(text, 0)).toBe(1);
    expect(lineOf(text, 5)).toBe(2);
    // b's block scalar ends past its line break: the lines it covers end there.
    expect(wholeLines(text, 5, 14)).toEqual({ start: 5, end: 14 });
    expect(wholeLines(text, 15, 18)).toEqual({ start: 14, end: 18 });
  });
});
