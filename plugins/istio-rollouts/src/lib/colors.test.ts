import { blue, deepOrange, green, purple } from '@material-ui/core/colors';
import { getContrastRatio } from '@material-ui/core/styles';
import {
  assignSubsetColors,
  fillForWhiteText,
  SUBSET_PALETTE,
  textOn,
} from './colors';

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

describe('text on coloured fills (WCAG AA, 4.5:1)', () => {
  it.each(SUBSET_PALETTE.map(p => [p.name, p.color]))(
    'labels on %s reach 4.5:1',
    (_name, color) => {
      expect(getContrastRatio(color, textOn(color))).toBeGreaterThanOrEqual(
        4.5,
      );
    },
  );

  it('picks black where white falls short, white where it is enough', () => {
    // deepOrange[700]: white is 3.9:1, black 5.4:1.
    expect(textOn('#e64a19')).toBe('#000000');
    expect(textOn('#1976d2')).toBe('#ffffff');
  });

  it('darkens a fill until white text on it reaches 4.5:1, keeping dark fills as they are', () => {
    for (const color of ['#f44336', '#4caf50', '#2196f3', '#ffeb3b']) {
      const fill = fillForWhiteText(color);
      expect(fill).not.toBe(color);
      expect(getContrastRatio(fill, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    expect(fillForWhiteText('#1565c0')).toBe('#1565c0');
  });
});
