import { getContrastRatio } from '@material-ui/core/styles';
import { diffPalette } from './diffColors';

describe('diffPalette', () => {
  describe.each(['light', 'dark'] as const)('in the %s theme', type => {
    const palette = diffPalette(type);

    it.each(['unchanged', 'added', 'removed'] as const)(
      'reaches WCAG AA for the text and the marker of a line %s',
      change => {
        const { background, text, marker } = palette[change];
        expect(getContrastRatio(text, background)).toBeGreaterThanOrEqual(4.5);
        expect(getContrastRatio(marker, background)).toBeGreaterThanOrEqual(
          4.5,
        );
      },
    );

    it('gives added, removed and unchanged lines three different backgrounds', () => {
      const backgrounds = new Set(
        Object.values(palette).map(colors => colors.background),
      );
      expect(backgrounds.size).toBe(3);
    });
  });
});
