import { listWords } from './listWords';

describe('listWords', () => {
  it.each([
    [[], 'and', ''],
    [['a'], 'and', 'a'],
    [['a', 'b'], 'and', 'a and b'],
    [['a', 'b', 'c'], 'and', 'a, b and c'],
    [['a', 'b'], 'or', 'a or b'],
    [['a', 'b', 'c'], 'or', 'a, b or c'],
  ])('%j with %s → %j', (words, conjunction, expected) => {
    expect(listWords(words, conjunction)).toBe(expected);
  });

  it('joins with "and" unless told otherwise', () => {
    expect(listWords(['v1', 'v2'])).toBe('v1 and v2');
  });
});
