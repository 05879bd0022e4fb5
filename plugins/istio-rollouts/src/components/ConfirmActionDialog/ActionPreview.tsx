import {
  RolloutActionResponse,
  RolloutRouteChange,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { destinationsOfStanza } from '../../lib/split';
import { RouteTrafficBar } from '../RouteTrafficBar';
import { RouteYamlDiff } from '../RouteYamlDiff';
import { ExactPatch } from './ExactPatch';
import { GitOpsPreview } from './GitOpsPreview';

const useStyles = makeStyles((theme: Theme) => ({
  summary: {
    marginTop: theme.spacing(2),
    fontWeight: theme.typography.fontWeightMedium as number,
    overflowWrap: 'anywhere',
  },
  route: {
    marginTop: theme.spacing(2),
    minWidth: 0,
  },
  routeHeading: {
    marginBottom: theme.spacing(1),
  },
  bars: {
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(7)}px minmax(0, 1fr)`,
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1.5),
  },
  note: {
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
}));

const RoutePreview = ({
  change,
  headingLevel,
  bars,
  cluster,
}: {
  change: RolloutRouteChange;
  headingLevel: 3 | 4;
  bars: boolean;
  cluster?: string;
}) => {
  const classes = useStyles();
  const label = routeLabel(change);
  return (
    <div className={classes.route}>
      <Typography
        variant="subtitle2"
        component={`h${headingLevel}`}
        className={classes.routeHeading}
      >
        Route {label}
      </Typography>
      {bars && (
        <div className={classes.bars}>
          <Typography variant="caption">Before</Typography>
          <RouteTrafficBar
            dense
            legend={false}
            title={`${label} before`}
            destinations={destinationsOfStanza(change.before)}
          />
          <Typography variant="caption">After</Typography>
          <RouteTrafficBar
            dense
            legend={false}
            title={`${label} after`}
            destinations={destinationsOfStanza(change.after)}
          />
        </div>
      )}
      <RouteYamlDiff change={change} cluster={cluster} />
    </div>
  );
};

export interface ActionPreviewProps {
  /** The dry run's answer. */
  response: RolloutActionResponse;
  /** The level of each route's heading and of the exact patch's. */
  headingLevel: 3 | 4;
  /** The traffic bars before and after each route (off where space is short). */
  bars?: boolean;
  /** The cluster, where several previews share a page: it tells their scrolling blocks apart. */
  cluster?: string;
}

/**
 * What a dry run says an action will do: the server's summary (once), the
 * commit it makes where Git owns the VirtualService (GitOps mode), then each route it changes — both routes of a switch — as YAML with the changed
 * lines marked, and the exact JSON Patch, collapsed.
 */
export const ActionPreview = ({
  response,
  headingLevel,
  bars = true,
  cluster,
}: ActionPreviewProps) => {
  const classes = useStyles();
  const others = response.patches.filter(p => p.kind !== 'VirtualService');
  return (
    <>
      {!response.changed && (
        <Alert severity="info">
          Nothing to change: the route already looks like this.
        </Alert>
      )}
      {response.warning && <Alert severity="warning">{response.warning}</Alert>}
      {response.changed && (
        <Typography variant="body1" className={classes.summary}>
          {response.summary}
        </Typography>
      )}
      {/* Where Git owns the object, the commit is what Apply makes: right under what it does. */}
      {response.gitops && (
        <GitOpsPreview gitops={response.gitops} headingLevel={headingLevel} />
      )}
      {response.routes.map(change => (
        <RoutePreview
          key={`${change.kind}-${change.index}`}
          change={change}
          headingLevel={headingLevel}
          bars={bars}
          cluster={cluster}
        />
      ))}
      {others.map(patch => (
        <Typography
          key={`${patch.kind}/${patch.namespace}/${patch.name}`}
          variant="body2"
          className={classes.note}
        >
          The change also patches {patch.kind} {patch.namespace}/{patch.name}:
          see the exact patch.
        </Typography>
      ))}
      {response.patches.length > 0 && (
        <ExactPatch
          patches={response.patches}
          headingLevel={headingLevel}
          cluster={cluster}
        />
      )}
    </>
  );
};
