import { getContrastRatio } from '@material-ui/core/styles';
import { SUBSET_PALETTE, textOn } from './colors';
import { mutedColor, staleHeadline } from './stale';

describe('staleHeadline', () => {
  const now = new Date('2026-12-14T10:00:40Z');
  it.each([
    [
      '2026-12-14T10:00:00Z',
      'demo-west is not answering — last seen 40 seconds ago',
    ],
    ['2026-12-14T10:00:35Z', 'demo-west is not answering — last seen just now'],
    [
      '2026-12-14T09:57:40Z',
      'demo-west is not answering — last seen 3 minutes ago',
    ],
  ])('last seen at %s', (lastSeen, expected) => {
    expect(
      staleHeadline('demo-west', { lastSeen, reason: 'Timeout' }, now),
    ).toBe(expected);
  });
});

describe('mutedColor', () => {
  it.each(SUBSET_PALETTE.map(p => [p.name, p.color]))(
    'takes the hue out of %s and keeps its label at WCAG AA',
    (_, color) => {
      const muted = mutedColor(color);
      expect(muted).not.toBe(color);
      // Same luminance: the label colour and its contrast are unchanged.
      expect(textOn(muted)).toBe(textOn(color));
      expect(getContrastRatio(muted, textOn(muted))).toBeGreaterThanOrEqual(
        4.5,
      );
      expect(
        Math.abs(
          getContrastRatio(muted, '#fff') - getContrastRatio(color, '#fff'),
        ),
      ).toBeLessThan(0.05);
    },
  );

  it('is nearly grey: its channels are closer together than the colour’s', () => {
    const spread = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
      return Math.max(r, g, b) - Math.min(r, g, b);
    };
    expect(spread(mutedColor('#1976d2'))).toBeLessThan(spread('#1976d2') / 3);
  });

  it('reads rgb() colours too', () => {
    expect(mutedColor('rgb(128, 128, 128)')).toBe('#808080');
  });
});
