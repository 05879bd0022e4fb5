import type { ActionGitOps } from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';

const useStyles = makeStyles((theme: Theme) => ({
  heading: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  // Scrolls sideways inside the dialog on a phone; the dialog never does.
  block: {
    margin: 0,
    padding: theme.spacing(1, 1.5),
    maxWidth: '100%',
    maxHeight: theme.spacing(40),
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    lineHeight: 1.6,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  line: { display: 'block', whiteSpace: 'pre', textDecoration: 'none' },
  context: {},
  added: {
    color: theme.palette.type === 'dark' ? '#9be9a8' : '#0b5d1e',
    backgroundColor: theme.palette.type === 'dark' ? '#0f2e1a' : '#e6ffec',
  },
  removed: {
    color: theme.palette.type === 'dark' ? '#ffb3ad' : '#8b1a10',
    backgroundColor: theme.palette.type === 'dark' ? '#3a1512' : '#ffebe9',
  },
}));

const TAGS = { added: 'ins', removed: 'del', context: 'span' } as const;

/** An added or removed line of a unified diff (not its `---`/`+++` file names), or context. */
function diffLineKind(line: string): keyof typeof TAGS {
  if (line.startsWith('+') && !line.startsWith('+++')) return 'added';
  if (line.startsWith('-') && !line.startsWith('---')) return 'removed';
  return 'context';
}

/** A unified diff, its added and removed lines marked for eyes and for screen readers alike. */
const DiffBlock = ({ text, label }: { text: string; label: string }) => {
  const classes = useStyles();
  return (
    // Focusable, so a keyboard can scroll it.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <pre className={classes.block} tabIndex={0} aria-label={label}>
      {text
        .replace(/\n$/, '')
        .split('\n')
        .map((line, i) => {
          const kind = diffLineKind(line);
          const Tag = TAGS[kind];
          return (
            <Tag key={i} className={`${classes.line} ${classes[kind]}`}>
              {line}
            </Tag>
          );
        })}
    </pre>
  );
};

/**
 * GitOps mode in the confirm dialog: who syncs the VirtualService from which repository, and the commit Apply
 * makes there (the server placed it); or why the plugin cannot make the change in Git, with the change as text.
 */
export const GitOpsPreview = ({
  gitops,
  headingLevel,
}: {
  gitops: ActionGitOps;
  headingLevel: 3 | 4;
}) => {
  const classes = useStyles();
  const delivery =
    gitops.delivery === 'pullRequest'
      ? 'opens a pull request with this change'
      : 'pushes this change as a commit on a new branch';
  if (gitops.cannotPlace) {
    return (
      <>
        <Alert severity="warning">
          {gitops.managedBy} syncs this VirtualService from Git, and the change
          cannot be made there with certainty: {gitops.cannotPlace} Make it by
          hand:
        </Alert>
        {gitops.patch && <pre className={classes.block}>{gitops.patch}</pre>}
      </>
    );
  }
  return (
    <>
      <Alert severity="info">
        {gitops.managedBy} syncs this VirtualService from {gitops.repositoryUrl}
        : Apply {delivery} instead of patching the cluster. The cluster changes
        once it is merged and synced.
      </Alert>
      {gitops.diff && (
        <>
          <Typography
            variant="subtitle2"
            component={`h${headingLevel}`}
            className={classes.heading}
          >
            The commit
          </Typography>
          <DiffBlock text={gitops.diff} label="The commit, as a diff" />
        </>
      )}
    </>
  );
};
