import {
  JsonPatchOperation,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ReactNode, useId } from 'react';

const useStyles = makeStyles((theme: Theme) => ({
  accordion: {
    marginTop: theme.spacing(2),
  },
  heading: {
    margin: 0,
  },
  details: {
    width: '100%',
    minWidth: 0,
  },
  patch: {
    margin: theme.spacing(0.5, 0, 1.5),
    padding: theme.spacing(1.5),
    maxWidth: '100%',
    maxHeight: theme.spacing(30),
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/** A JSON Patch with one operation per line, as people read patches. */
export function formatPatch(operations: unknown[]): string {
  return `[\n${operations.map(op => `  ${JSON.stringify(op)}`).join(',\n')}\n]`;
}

/**
 * Whether an operation only guards the patch: a `test`, or the
 * resourceVersion set to the one the user loaded — the cluster refuses the
 * whole patch when either no longer holds, and neither changes anything.
 */
export function isGuard(op: JsonPatchOperation): boolean {
  return op.op === 'test' || op.path === '/metadata/resourceVersion';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The heading the accordion's summary sits in. Accordion reads `id` and
 * `aria-controls` from its first child to label its region, so they are
 * handed on to the summary, which is the heading's button.
 */
const PatchHeading = ({
  level,
  id,
  'aria-controls': controls,
  children,
}: {
  level: 3 | 4;
  id: string;
  'aria-controls': string;
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <Typography
      variant="subtitle2"
      component={`h${level}`}
      className={classes.heading}
    >
      <AccordionSummary
        id={id}
        aria-controls={controls}
        expandIcon={<ExpandMoreIcon />}
      >
        {children}
      </AccordionSummary>
    </Typography>
  );
};

export interface ExactPatchProps {
  patches: RolloutObjectPatch[];
  /** The level of its heading, under the section it is in. */
  headingLevel: 3 | 4;
  /** The cluster, where several patches share a page. */
  cluster?: string;
}

/**
 * The exact JSON Patch of each object, collapsed: what will be sent, for
 * those who check it, with its guards (`test`, resourceVersion) said for
 * what they are — checks, not changes.
 */
export const ExactPatch = ({
  patches,
  headingLevel,
  cluster,
}: ExactPatchProps) => {
  const classes = useStyles();
  const id = useId();
  const operations = patches.flatMap(p => p.operations);
  const guards = operations.filter(isGuard).length;
  const changes = operations.length - guards;
  return (
    <Accordion
      className={classes.accordion}
      variant="outlined"
      TransitionProps={{ unmountOnExit: true }}
    >
      <PatchHeading
        level={headingLevel}
        id={`${id}-summary`}
        aria-controls={`${id}-details`}
      >
        Exact patch ({plural(operations.length, 'operation')})
      </PatchHeading>
      <AccordionDetails>
        {/* A block of its own: the details are a flex row, which would set the text beside the patch. */}
        <div className={classes.details}>
          <Typography variant="body2" paragraph>
            {plural(changes, 'operation')} change{changes === 1 ? 's' : ''} the
            object.
            {guards > 0 &&
              ` The other ${guards} ${
                guards === 1 ? 'is a check' : 'are checks'
              }, not changes: the test operations and the resourceVersion (kept as you loaded it) make the cluster refuse the whole patch if anything changed since.`}
          </Typography>
          {patches.map(patch => {
            const what = `JSON Patch of ${patch.kind} ${patch.namespace}/${
              patch.name
            }${cluster ? ` in ${cluster}` : ''}`;
            return (
              <div key={`${patch.kind}/${patch.namespace}/${patch.name}`}>
                <Typography variant="caption" component="p">
                  {what}
                </Typography>
                {/* A scrolling region must take the focus to be scrolled by keyboard. */}
                {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
                <pre
                  className={classes.patch}
                  // A scrolling region must take the focus to be scrolled by keyboard.
                  // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
                  tabIndex={0}
                  role="region"
                  aria-label={what}
                >
                  {formatPatch(patch.operations)}
                </pre>
              </div>
            );
          })}
        </div>
      </AccordionDetails>
    </Accordion>
  );
};
