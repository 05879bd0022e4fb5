import type { RolloutStale } from '@internal/plugin-istio-rollouts-common';
import { decomposeColor } from '@material-ui/core/styles';
import { relativeTime } from './relativeTime';

/** `demo-west is not answering — last seen 40 seconds ago` */
export function staleHeadline(
  cluster: string,
  stale: RolloutStale,
  now: Date = new Date(),
): string {
  return `${cluster} is not answering — last seen ${relativeTime(
    stale.lastSeen,
    now,
  )}`;
}

const toLinear = (c: number) =>
  c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
const toSrgb = (c: number) =>
  c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;

/**
 * `color` with most of its hue taken out, for a rollout shown from memory:
 * mixed in linear light with the grey of the same relative luminance, so the
 * luminance — and with it the contrast of any label on it — stays the same.
 */
export function mutedColor(color: string, amount = 0.75): string {
  const { values } = decomposeColor(color);
  const linear = values.slice(0, 3).map(v => toLinear(v / 255));
  const luminance =
    0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  const hex = linear
    .map(c => {
      const mixed = c * (1 - amount) + luminance * amount;
      const byte = Math.round(toSrgb(mixed) * 255);
      return Math.min(255, Math.max(0, byte)).toString(16).padStart(2, '0');
    })
    .join('');
  return `#${hex}`;
}
