import { createContext, ReactNode, useContext, useMemo } from 'react';
import { assignSubsetColors } from '../lib/colors';
import { mutedColor } from '../lib/stale';

const SubsetColorsContext = createContext<Record<string, string> | undefined>(
  undefined,
);

/**
 * Gives every subset on the page its colour, so `v2` looks the same in every
 * route, VirtualService, cluster and dialog below this provider.
 */
export function SubsetColorsProvider(props: {
  keys: string[];
  children: ReactNode;
}) {
  const signature = [...new Set(props.keys)].sort().join('\n');
  const colors = useMemo(
    () => assignSubsetColors(signature ? signature.split('\n') : []),
    [signature],
  );
  return (
    <SubsetColorsContext.Provider value={colors}>
      {props.children}
    </SubsetColorsContext.Provider>
  );
}

const MutedContext = createContext(false);

/**
 * Greys every subset colour below it, keeping each label's contrast: for a
 * rollout shown from memory (its cluster is not answering).
 */
export function MutedSubsetColors(props: { children: ReactNode }) {
  return <MutedContext.Provider value>{props.children}</MutedContext.Provider>;
}

/**
 * A function from subset (or host) to its colour on this page. A key the
 * provider doesn't know (or any key outside a provider) gets the colour it
 * would get alone.
 */
export function useSubsetColors(): (key: string) => string {
  const colors = useContext(SubsetColorsContext);
  const muted = useContext(MutedContext);
  return key => {
    const color = colors?.[key] ?? assignSubsetColors([key])[key];
    return muted ? mutedColor(color) : color;
  };
}
