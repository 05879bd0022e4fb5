import type { YamlLineChange } from '../../lib/yamlDiff';

/** The colours of a line of the YAML diff: its background, its text and its `+`/`-` marker. */
export interface DiffLineColors {
  background: string;
  text: string;
  marker: string;
}

export type DiffPalette = Record<YamlLineChange, DiffLineColors>;

/*
 * Fixed colours rather than the theme's, so each pair is known to reach WCAG
 * AA (4.5:1, checked by diffColors.test.ts); green and red are never the
 * only cue: every changed line also carries its `+` or `-` marker.
 */
const LIGHT: DiffPalette = {
  unchanged: { background: '#f6f8fa', text: '#1f2328', marker: '#1f2328' },
  added: { background: '#dafbe1', text: '#1f2328', marker: '#116329' },
  removed: { background: '#ffebe9', text: '#1f2328', marker: '#82071e' },
};

const DARK: DiffPalette = {
  unchanged: { background: '#262626', text: '#f0f0f0', marker: '#f0f0f0' },
  added: { background: '#1d4428', text: '#f0f0f0', marker: '#9be9a8' },
  removed: { background: '#5c2125', text: '#f0f0f0', marker: '#ffc1bd' },
};

/** The diff's colours for the theme's type. */
export function diffPalette(type: 'light' | 'dark'): DiffPalette {
  return type === 'dark' ? DARK : LIGHT;
}
