import {
  blue,
  brown,
  cyan,
  deepOrange,
  green,
  indigo,
  pink,
  purple,
  red,
  teal,
} from '@material-ui/core/colors';
import { darken, getContrastRatio } from '@material-ui/core/styles';

/**
 * Fill colours for subsets, dark enough for the theme's contrast text in both
 * the light and the dark theme. A subset named after a colour (blue/green
 * deployments) gets that colour; the others take the rest in this order.
 */
export const SUBSET_PALETTE: ReadonlyArray<{ name: string; color: string }> = [
  { name: 'blue', color: blue[700] },
  { name: 'orange', color: deepOrange[700] },
  { name: 'purple', color: purple[500] },
  { name: 'teal', color: teal[700] },
  { name: 'pink', color: pink[700] },
  { name: 'indigo', color: indigo[500] },
  { name: 'brown', color: brown[500] },
  { name: 'cyan', color: cyan[800] },
  { name: 'green', color: green[800] },
  { name: 'red', color: red[800] },
];

/**
 * One colour per subset for the whole page, so `v2` has the same colour in
 * every route, VirtualService and cluster. Keys are subset names (or hosts for
 * host-level splits). The assignment depends only on the set of keys — sorted,
 * colour-named subsets first — so it survives refreshes and reordering.
 */
export function assignSubsetColors(
  keys: Iterable<string>,
): Record<string, string> {
  const unique = [...new Set(keys)].sort((a, b) => a.localeCompare(b));
  const colors: Record<string, string> = {};
  const taken = new Set<string>();

  for (const key of unique) {
    const named = SUBSET_PALETTE.find(p => p.name === key.toLowerCase());
    if (named && !taken.has(named.name)) {
      colors[key] = named.color;
      taken.add(named.name);
    }
  }
  // Colours named by no subset first; once every colour is used, cycle.
  const free = SUBSET_PALETTE.filter(p => !taken.has(p.name));
  const order = free.length > 0 ? free : SUBSET_PALETTE;
  let next = 0;
  for (const key of unique) {
    if (colors[key]) continue;
    colors[key] = order[next % order.length].color;
    next += 1;
  }
  return colors;
}

/** WCAG AA for normal text: what every label on a coloured fill must reach. */
const MIN_CONTRAST = 4.5;
const WHITE = '#ffffff';
const BLACK = '#000000';

/**
 * Text colour for a label on `background`: white where white reaches WCAG AA,
 * else black. (MUI's `getContrastText` settles for a ratio of 3.)
 */
export function textOn(background: string): string {
  return getContrastRatio(background, WHITE) >= MIN_CONTRAST ? WHITE : BLACK;
}

/** `color`, darkened just enough for white text on it to reach WCAG AA: chips keep their hue. */
export function fillForWhiteText(color: string): string {
  let fill = color;
  for (let i = 0; i < 8 && getContrastRatio(fill, WHITE) < MIN_CONTRAST; i++) {
    fill = darken(fill, 0.1);
  }
  return fill;
}
