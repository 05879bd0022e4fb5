import { RouteDestination } from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useSubsetColors } from '../../hooks/subsetColors';
import { textOn } from '../../lib/colors';
import { formatSplit, sharesOf } from '../../lib/split';

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    display: 'flex',
    width: '100%',
    height: theme.spacing(4),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.disabledBackground,
  },
  dense: {
    height: theme.spacing(2.5),
  },
  segment: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightMedium as number,
    fontSize: theme.typography.body2.fontSize,
    transition: 'width 300ms ease-in-out',
    '& + &': {
      borderLeft: `2px solid ${theme.palette.background.paper}`,
    },
  },
  denseSegment: {
    fontSize: theme.typography.caption.fontSize,
  },
  empty: {
    display: 'flex',
    alignItems: 'center',
    paddingLeft: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    gap: theme.spacing(2),
  },
  legendItem: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
  },
  swatch: {
    display: 'inline-block',
    width: theme.spacing(1.5),
    height: theme.spacing(1.5),
    borderRadius: 2,
    flexShrink: 0,
  },
}));

/** A coloured square naming a subset's colour, for tables and legends. */
export const SubsetSwatch = (props: { subset: string }) => {
  const classes = useStyles();
  const colorOf = useSubsetColors();
  return (
    <span
      aria-hidden
      className={classes.swatch}
      style={{ backgroundColor: colorOf(props.subset) }}
    />
  );
};

export interface RouteTrafficBarProps {
  destinations: RouteDestination[];
  /** Names the bar for assistive technology, e.g. `http[0] reviews-route`. */
  title?: string;
  /** A thin bar for cards and dialogs. */
  dense?: boolean;
  /** Lists every destination under the bar, those at 0% included (default true). */
  legend?: boolean;
}

/**
 * A route's traffic as one horizontal bar split by destination, each subset in
 * its colour for the whole page and with its share written on it. Weights that
 * don't add up to 100 are shown as Istio reads them: relative shares.
 */
export const RouteTrafficBar = ({
  destinations,
  title,
  dense,
  legend = true,
}: RouteTrafficBarProps) => {
  const classes = useStyles();
  const colorOf = useSubsetColors();
  const shares = sharesOf(destinations);
  const total = destinations.reduce((s, d) => s + d.weight, 0);
  const relative = total !== 100 && total > 0 && destinations.length > 1;
  const label = `${title ? `Traffic of ${title}` : 'Traffic'}: ${
    total > 0 ? formatSplit(destinations) : 'no traffic (all weights are 0)'
  }`;

  return (
    <div>
      <div
        role="img"
        aria-label={label}
        className={`${classes.bar} ${dense ? classes.dense : ''}`}
      >
        {total === 0 && (
          <Typography variant="caption" className={classes.empty}>
            no traffic
          </Typography>
        )}
        {shares.map((share, i) => {
          if (share.percent <= 0) return null;
          const color = colorOf(share.key);
          let text = '';
          if (share.percent >= (dense ? 25 : 15)) {
            text = `${share.key} ${share.percent}%`;
          } else if (share.percent >= (dense ? 10 : 6)) {
            text = `${share.percent}%`;
          }
          return (
            <div
              key={`${share.key}-${i}`}
              aria-hidden
              title={`${share.key}: ${share.percent}%`}
              className={`${classes.segment} ${
                dense ? classes.denseSegment : ''
              }`}
              style={{
                width: `${share.percent}%`,
                backgroundColor: color,
                color: textOn(color),
              }}
            >
              {text}
            </div>
          );
        })}
      </div>
      {legend && (
        <ul className={classes.legend} aria-hidden>
          {shares.map((share, i) => (
            <li key={`${share.key}-${i}`} className={classes.legendItem}>
              <SubsetSwatch subset={share.key} />
              <Typography variant="body2" component="span">
                {share.key} <strong>{share.percent}%</strong>
                {relative && ` (weight ${share.weight})`}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};
