import { PhaseState } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import FilterNoneIcon from '@material-ui/icons/FilterNone';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import LayersOutlinedIcon from '@material-ui/icons/LayersOutlined';
import DoneAllIcon from '@material-ui/icons/DoneAll';
import { fillForWhiteText } from '../../lib/colors';

const useStyles = makeStyles((theme: Theme) => {
  const filled = (color: string) => ({
    backgroundColor: fillForWhiteText(color),
    color: '#fff',
    '& $icon': { color: '#fff' },
  });
  return {
    icon: {},
    stable: filled(theme.palette.success.main),
    canary: filled(theme.palette.info.main),
    promoted: filled(theme.palette.success.dark),
    'blue-green': filled(theme.palette.primary.main),
    mirroring: filled(theme.palette.secondary.main),
    revision: {
      color: theme.palette.text.secondary,
      borderColor: theme.palette.divider,
    },
  };
});

const ICONS: Record<PhaseState['phase'], typeof CheckCircleOutlineIcon> = {
  stable: CheckCircleOutlineIcon,
  canary: CallSplitIcon,
  promoted: DoneAllIcon,
  'blue-green': SwapHorizIcon,
  mirroring: FilterNoneIcon,
};

/**
 * What a rollout or a route is doing, in the server's words: `stable`,
 * `canary 30%`, `promoted — v1 retired`, `blue-green (header)`,
 * `mirroring 10%`, with the explanation in a tooltip.
 */
export const PhaseChip = ({
  state,
  size = 'small',
}: {
  state: PhaseState;
  size?: 'small' | 'medium';
}) => {
  const classes = useStyles();
  const Icon = ICONS[state.phase] ?? CheckCircleOutlineIcon;
  return (
    <Tooltip title={state.description}>
      <Chip
        size={size}
        icon={<Icon className={classes.icon} />}
        label={state.label}
        className={classes[state.phase]}
        data-testid="phase-chip"
        data-phase={state.phase}
      />
    </Tooltip>
  );
};

/**
 * The namespace's Istio control-plane revision. Outlined and labelled
 * "Istio revision" so that a revision called `canary` never reads as an
 * application canary.
 */
export const MeshRevisionChip = ({
  revision,
  namespace,
}: {
  revision: string;
  namespace: string;
}) => {
  const classes = useStyles();
  const how =
    revision === 'default'
      ? `namespace ${namespace} is labelled istio-injection=enabled`
      : `namespace ${namespace} is labelled istio.io/rev=${revision}`;
  return (
    <Tooltip
      title={`Istio control-plane revision: ${how}. This is the mesh's own upgrade channel, not an application canary.`}
    >
      <Chip
        size="small"
        variant="outlined"
        icon={<LayersOutlinedIcon />}
        label={`Istio revision ${revision}`}
        className={classes.revision}
      />
    </Tooltip>
  );
};
