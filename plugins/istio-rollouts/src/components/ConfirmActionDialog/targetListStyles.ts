import type { Theme } from '@material-ui/core/styles';

/**
 * The "Cluster / VirtualService / Route" list at the top of a dialog that changes a route (a confirmation, a plan's
 * start), as a `<dl>`: names on the left, values beside them, wrapping anywhere on a phone.
 */
export const targetListStyles = (theme: Theme) => ({
  display: 'grid',
  gridTemplateColumns: 'max-content minmax(0, 1fr)',
  columnGap: theme.spacing(2),
  rowGap: theme.spacing(0.5),
  margin: theme.spacing(0, 0, 2),
  '& dt': {
    color: theme.palette.text.secondary,
  },
  '& dd': {
    margin: 0,
    fontWeight: theme.typography.fontWeightMedium as number,
    overflowWrap: 'anywhere' as const,
  },
});
