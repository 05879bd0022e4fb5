import { CodeSnippet } from '@backstage/core-components';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { kubectlLabelCommand, labelSnippet } from '../../lib/setup';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(3),
  },
}));

/**
 * A snippet with its copy button. Plain text, not YAML: the highlighter's
 * colours for values fall short of WCAG AA on its backgrounds.
 */
export const CopyableSnippet = ({
  label,
  text,
}: {
  label: string;
  text: string;
}) => (
  <div role="group" aria-label={label}>
    <CodeSnippet text={text} language="text" showCopyCodeButton />
  </div>
);

/** Which objects carry the entity's label, and the label to put on them. */
export const LabelObjects = ({
  label,
  namespace,
}: {
  /** The label the entity selects by; without one (a selector) only the objects are listed. */
  label?: { key: string; value: string };
  namespace?: string;
}) => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <Typography variant="body2" component="ul" className={classes.list}>
        <li>
          the <strong>VirtualService</strong> whose routes you release with —
          each one becomes a card on this tab;
        </li>
        <li>
          the <strong>DestinationRules</strong> of its hosts — they define the
          subsets (v1, v2, blue, green…);
        </li>
        <li>
          the <strong>Deployments</strong> behind the subsets (one per subset),
          and the <strong>Services</strong> of the hosts — for images and ready
          pods.
        </li>
      </Typography>
      {label && (
        <>
          <Typography variant="body2">In each object’s manifest:</Typography>
          <CopyableSnippet
            label="Label in a manifest"
            text={labelSnippet(label)}
          />
          <Typography variant="body2">
            Or on objects already in a cluster (put in their names):
          </Typography>
          <CopyableSnippet
            label="kubectl command"
            text={kubectlLabelCommand(label, namespace)}
          />
        </>
      )}
    </div>
  );
};
