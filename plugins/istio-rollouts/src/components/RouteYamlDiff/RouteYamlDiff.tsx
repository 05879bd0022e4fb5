import {
  RolloutRouteChange,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  describeChangedLines,
  diffMarker,
  YamlDiffLine,
  yamlDiffLines,
} from '../../lib/yamlDiff';
import { diffPalette } from './diffColors';
import { visuallyHidden } from '../../lib/visuallyHidden';

const useStyles = makeStyles((theme: Theme) => {
  const palette = diffPalette(theme.palette.type);
  return {
    caption: {
      display: 'block',
      color: theme.palette.text.secondary,
      marginBottom: theme.spacing(0.5),
    },
    // The block scrolls sideways on a phone; the page and the dialog never
    // do. No height cap: a route is short, and one scroll inside another is
    // hard to use on a phone.
    block: {
      margin: 0,
      maxWidth: '100%',
      overflowX: 'auto',
      fontFamily: 'monospace',
      fontSize: theme.typography.caption.fontSize,
      lineHeight: 1.6,
      color: palette.unchanged.text,
      backgroundColor: palette.unchanged.background,
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: theme.shape.borderRadius,
      '&:focus-visible': {
        outline: `2px solid ${theme.palette.primary.main}`,
        outlineOffset: 2,
      },
    },
    // As wide as the longest line, so a changed line's colour runs to the end.
    lines: {
      display: 'inline-block',
      minWidth: '100%',
      padding: theme.spacing(1, 0),
    },
    line: {
      display: 'block',
      whiteSpace: 'pre',
      padding: theme.spacing(0, 1.5, 0, 0),
      textDecoration: 'none',
    },
    unchanged: {},
    added: {
      color: palette.added.text,
      backgroundColor: palette.added.background,
      '& $marker': { color: palette.added.marker },
    },
    removed: {
      color: palette.removed.text,
      backgroundColor: palette.removed.background,
      '& $marker': { color: palette.removed.marker },
    },
    marker: {
      display: 'inline-block',
      width: '2.5ch',
      textAlign: 'center',
      fontWeight: theme.typography.fontWeightBold as number,
      userSelect: 'none',
    },
    visuallyHidden: { ...visuallyHidden, userSelect: 'none' },
  };
});

const TAGS = { added: 'ins', removed: 'del', unchanged: 'span' } as const;
const SPOKEN = { added: 'added: ', removed: 'removed: ', unchanged: '' };

export interface RouteYamlDiffProps {
  /** The route before and after the action, as the dry run answers it. */
  change: RolloutRouteChange;
  /** The cluster, where several previews share a page: it names the block apart from theirs. */
  cluster?: string;
}

/**
 * A route as YAML after the change, with the lines the change adds and
 * removes marked as in a unified diff: a `+` or `-` before the line, a green
 * or red background, and `ins`/`del` with the words "added"/"removed" for
 * screen readers — never colour alone.
 */
export const RouteYamlDiff = ({ change, cluster }: RouteYamlDiffProps) => {
  const classes = useStyles();
  const lines: YamlDiffLine[] = yamlDiffLines(change.before, change.after);
  const label = routeLabel(change);
  const path = `spec.${change.kind}[${change.index}]`;
  return (
    <div>
      <Typography variant="caption" component="p" className={classes.caption}>
        {path} after the change, as YAML: lines marked + are added, lines marked
        - are removed ({describeChangedLines(lines)}).
      </Typography>
      <pre
        className={classes.block}
        // A scrolling region must take the focus to be scrolled by keyboard.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        role="region"
        aria-label={`YAML of ${label}${
          cluster ? ` in ${cluster}` : ''
        } after the change`}
      >
        <code className={classes.lines}>
          {lines.map((line, i) => {
            const Line = TAGS[line.change];
            return (
              // Lines repeat (two `weight: 50`): their place is their identity.
              <Line
                key={i}
                className={`${classes.line} ${classes[line.change]}`}
                data-change={line.change}
              >
                <span className={classes.marker} aria-hidden="true">
                  {diffMarker(line.change)}
                </span>
                {SPOKEN[line.change] && (
                  <span className={classes.visuallyHidden}>
                    {SPOKEN[line.change]}
                  </span>
                )}
                {line.text}
              </Line>
            );
          })}
        </code>
      </pre>
    </div>
  );
};
