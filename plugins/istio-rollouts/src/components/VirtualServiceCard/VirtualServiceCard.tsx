import { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  ActionRequest,
  CanaryVerdict,
  Finding,
  Rollout,
  RolloutActionResponse,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import Divider from '@material-ui/core/Divider';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { Fragment, useState } from 'react';
import { MutedSubsetColors } from '../../hooks/subsetColors';
import { offeredSwitches } from '../../lib/actions';
import {
  RolloutHealth,
  routeVerdict,
  withMetricFindings,
} from '../../lib/metrics';
import { SwitchButton } from '../ActionButtons';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { FindingsList } from '../FindingsList';
import { LockedControlsNotice } from '../LockedControlsNotice';
import { MetricsNotice } from '../MetricsNotice';
import { OwnerBanner } from './OwnerBanner';
import { MeshRevisionChip, PhaseChip } from '../PhaseChip';
import { RouteSection } from '../RouteSection';
import { StaleNotice } from '../StaleNotice';
import { subsetRows } from '../SubsetTable';

const useStyles = makeStyles((theme: Theme) => ({
  // On a phone the phase and revision chips go under the title when they
  // don't fit beside it, instead of running off the screen. (Attribute
  // selectors: Backstage suffixes MUI's class names, e.g. `MuiCardHeader-root-42`.)
  card: {
    '& [class*="MuiCardHeader-root"]': {
      flexWrap: 'wrap',
    },
    '& [class*="MuiCardHeader-action"]': {
      maxWidth: '100%',
    },
  },
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'flex-end',
    gap: theme.spacing(1),
    paddingTop: theme.spacing(1),
  },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    '& strong': {
      color: theme.palette.text.primary,
      fontWeight: theme.typography.fontWeightMedium as number,
    },
  },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  switchRow: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  // Shown from memory: flat, dashed and a quieter title; text keeps its
  // colours (WCAG AA) and the subset colours lose their hue, not contrast.
  stale: {
    '& [class*="MuiCard-root"]': {
      boxShadow: 'none',
      border: `1px dashed ${theme.palette.text.secondary}`,
    },
    '& [class*="MuiCardHeader-title"]': {
      color: theme.palette.text.secondary,
    },
  },
}));

/** The card's landmark; a stale rollout's subset colours lose their hue. */
const CardFrame = ({
  stale,
  children,
  ...props
}: React.ComponentProps<'article'> & { stale: boolean }) => (
  <article {...props}>
    {stale ? <MutedSubsetColors>{children}</MutedSubsetColors> : children}
  </article>
);

const OWNER_CODES = new Set(['OWNED_BY_CONTROLLER', 'TRACKED_BY_GITOPS']);

function routeKey(route: { kind: string; index: number }) {
  return `${route.kind}[${route.index}]`;
}

/** The findings of each route (by route, or by a subset its table shows) and of the VirtualService as a whole. */
export function placeFindings(rollout: Rollout): {
  byRoute: Map<string, Finding[]>;
  general: Finding[];
} {
  const byRoute = new Map<string, Finding[]>();
  const general: Finding[] = [];
  for (const finding of rollout.findings) {
    let placed = false;
    for (const route of rollout.routes) {
      const concerns = finding.route
        ? finding.route.kind === route.kind &&
          finding.route.index === route.index
        : finding.subset !== undefined &&
          subsetRows(rollout, route).some(r => r.key === finding.subset);
      if (concerns) {
        byRoute.set(routeKey(route), [
          ...(byRoute.get(routeKey(route)) ?? []),
          finding,
        ]);
        placed = true;
        if (finding.route) break;
      }
    }
    if (!placed && !OWNER_CODES.has(finding.code)) general.push(finding);
  }
  return { byRoute, general };
}

/** The server's verdict on the route a promotion would move, for its confirmation. */
function promotedVerdict(
  rollout: Rollout,
  intent: ActionRequest | undefined,
  health: RolloutHealth | undefined,
): CanaryVerdict | undefined {
  if (intent?.action !== 'promote' || !intent.route) return undefined;
  const ref = intent.route;
  const route = rollout.routes.find(
    r =>
      r.kind === ref.kind &&
      (ref.index !== undefined ? r.index === ref.index : r.name === ref.name),
  );
  return route ? routeVerdict(health?.metrics, route) : undefined;
}

export interface VirtualServiceCardProps {
  entityRef: CompoundEntityRef;
  rollout: Rollout;
  onApplied: (response: RolloutActionResponse) => void;
  onConflict: () => void;
  /** The rollout's canary health, once the metrics endpoint answered for its cluster. */
  health?: RolloutHealth;
}

/**
 * One VirtualService in one cluster: name, namespace, hosts, gateways, mesh
 * revision, phase, owner banner, findings, and each route with its controls.
 * Holds the state of its weight editor and its confirmation dialog, so a
 * refresh of the page never closes or resets them.
 */
export const VirtualServiceCard = ({
  entityRef,
  rollout,
  onApplied,
  onConflict,
  health,
}: VirtualServiceCardProps) => {
  const classes = useStyles();
  const [editing, setEditing] = useState<{ route: string } | undefined>();
  const [intent, setIntent] = useState<ActionRequest>();
  const { byRoute, general } = placeFindings({
    ...rollout,
    findings: withMetricFindings(rollout.findings, health?.metrics),
  });
  const switches = offeredSwitches(rollout);

  const reviewWeights = (
    route: Route,
    weights: Record<string, number>,
    resourceVersion: string,
  ) =>
    setIntent({
      rolloutId: rollout.id,
      // The version the editor's weights were drafted on (the user rebases
      // them explicitly): if the object changed since, the backend answers
      // 409 instead of overwriting.
      resourceVersion,
      route: { kind: route.kind, index: route.index },
      action: 'setWeights',
      weights,
    });

  return (
    <CardFrame
      stale={!!rollout.stale}
      className={`${classes.card} ${rollout.stale ? classes.stale : ''}`}
      aria-label={`VirtualService ${rollout.namespace}/${rollout.name} in ${
        rollout.cluster
      }${rollout.stale ? ', last known' : ''}`}
      data-stale={rollout.stale ? 'true' : undefined}
    >
      <InfoCard
        title={rollout.name}
        subheader={`VirtualService · ${rollout.apiVersion}`}
        action={
          <div className={classes.chips}>
            <PhaseChip state={rollout.state} />
            {rollout.meshRevision && (
              <MeshRevisionChip
                revision={rollout.meshRevision}
                namespace={rollout.namespace}
              />
            )}
          </div>
        }
      >
        <div className={classes.content}>
          {rollout.stale && (
            <StaleNotice cluster={rollout.cluster} stale={rollout.stale} />
          )}
          <Typography variant="body2" component="div" className={classes.meta}>
            <span>
              Namespace <strong>{rollout.namespace}</strong>
            </span>
            <span>
              Hosts{' '}
              <strong>{rollout.hosts.join(', ') || '— (delegate)'}</strong>
            </span>
            <span>
              Gateways{' '}
              <strong>
                {rollout.gateways.length > 0
                  ? rollout.gateways.join(', ')
                  : 'mesh (sidecars only)'}
              </strong>
            </span>
          </Typography>
          {health?.status === 'unavailable' && (
            <MetricsNotice
              severity="warning"
              detail={
                health.error &&
                `${health.error.reason}: ${health.error.message}`
              }
            >
              Metrics unavailable
            </MetricsNotice>
          )}
          <OwnerBanner rollout={rollout} />
          <LockedControlsNotice rollout={rollout} />
          <FindingsList findings={general} />
          {switches.map(offered => (
            <div key={offered.route.index} className={classes.switchRow}>
              <SwitchButton
                rollout={rollout}
                offered={offered}
                onAction={setIntent}
              />
              <Typography variant="body2" className={classes.readOnly}>
                Blue/green by header: {offered.offer.live} is live;{' '}
                {offered.offer.idle} is reached with{' '}
                {offered.headerRoute?.match ?? 'its header'}.
              </Typography>
            </div>
          ))}
          {rollout.routes.map((route, i) => (
            <Fragment key={routeKey(route)}>
              {i > 0 && <Divider />}
              <RouteSection
                rollout={rollout}
                route={route}
                findings={byRoute.get(routeKey(route)) ?? []}
                editing={editing?.route === routeKey(route)}
                onEdit={() => setEditing({ route: routeKey(route) })}
                onCancelEdit={() => setEditing(undefined)}
                onAction={setIntent}
                onReviewWeights={(weights, version) =>
                  reviewWeights(route, weights, version)
                }
                metrics={health?.metrics}
                windowSeconds={health?.windowSeconds}
              />
            </Fragment>
          ))}
          {rollout.routes.length === 0 && (
            <Typography variant="body2" className={classes.readOnly}>
              This VirtualService has no route.
            </Typography>
          )}
        </div>
        <ConfirmActionDialog
          entityRef={entityRef}
          rollout={rollout}
          intent={intent}
          verdict={promotedVerdict(rollout, intent, health)}
          onClose={() => setIntent(undefined)}
          onConflict={onConflict}
          onApplied={response => {
            setIntent(undefined);
            setEditing(undefined);
            onApplied(response);
          }}
        />
      </InfoCard>
    </CardFrame>
  );
};
