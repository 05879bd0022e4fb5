import { blue, deepOrange, green, purple } from '@material-ui/core/colors';
import { assignSubsetColors, SUBSET_PALETTE } from './colors';

describe('assignSubsetColors', () => {
  it.each([
    [
      ['v1', 'v2', 'v3'],
      [blue[700], deepOrange[700], purple[500]],
    ],
    // order of appearance doesn't matter
    [
      ['v3', 'v1', 'v2'],
      [purple[500], blue[700], deepOrange[700]],
    ],
    // blue/green deployments get their own colours
    [
      ['green', 'blue'],
      [green[800], blue[700]],
    ],
    // a colour named by a subset is not given to another one
    [
      ['v1', 'blue'],
      [deepOrange[700], blue[700]],
    ],
    [
      ['Green', 'latest'],
      [green[800], blue[700]],
    ],
  ])('%j get %j', (keys, expected) => {
    const colors = assignSubsetColors(keys);
    expect(keys.map(k => colors[k])).toEqual(expected);
  });

  it('gives each key one colour however often it appears', () => {
    expect(Object.keys(assignSubsetColors(['v1', 'v1', 'v2']))).toEqual([
      'v1',
      'v2',
    ]);
  });

  it('cycles through the palette when there are more subsets than colours', () => {
    const keys = Array.from(
      { length: SUBSET_PALETTE.length + 2 },
      (_, i) => `s${String(i).padStart(2, '0')}`,
    );
    const colors = assignSubsetColors(keys);
    expect(colors.s00).toBe(colors[keys[SUBSET_PALETTE.length]]);
    expect(new Set(Object.values(colors)).size).toBe(SUBSET_PALETTE.length);
  });
});
