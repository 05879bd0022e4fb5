import {
  ActionRequest,
  RolloutAction,
  Rollout,
  Route,
  RouteRef,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import AddIcon from '@material-ui/icons/AddCircleOutline';
import ArrowDropDownIcon from '@material-ui/icons/ArrowDropDown';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import TuneIcon from '@material-ui/icons/Tune';
import UndoIcon from '@material-ui/icons/Undo';
import { cloneElement, ReactElement, useId, useState } from 'react';
import { disabledReason, OfferedSwitch } from '../../lib/actions';

const useStyles = makeStyles((theme: Theme) => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/**
 * A button that, when the caller may not use it, is disabled and says why: in
 * a tooltip on hover, and as the button's accessible description, which screen
 * readers read with the disabled button.
 */
export const GatedButton = ({
  reason,
  children,
}: {
  reason?: string;
  children: ReactElement;
}) => {
  const classes = useStyles();
  const id = useId();
  if (!reason) return children;
  return (
    <Tooltip title={reason}>
      <span>
        {cloneElement(children, { 'aria-describedby': id })}
        <span id={id} className={classes.visuallyHidden}>
          {reason}
        </span>
      </span>
    </Tooltip>
  );
};

function routeRef(route: Route): RouteRef {
  return { kind: route.kind, index: route.index };
}

export interface ActionButtonsProps {
  rollout: Rollout;
  route: Route;
  /** Whether the weight editor of this route is open. */
  editing: boolean;
  onEdit: () => void;
  /** The action the user asked for, before the confirmation's dry run. */
  onAction: (request: ActionRequest) => void;
}

/**
 * The actions on one route, as the read model offers them: Set weights,
 * Promote, Roll back and Start canary (with the subset to add). Each one the
 * caller may not take is disabled with the missing permission, or the
 * controller that owns the VirtualService.
 */
export const ActionButtons = ({
  rollout,
  route,
  editing,
  onEdit,
  onAction,
}: ActionButtonsProps) => {
  const classes = useStyles();
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const reason = (action: RolloutAction) => disabledReason(rollout, action);
  const base = {
    rolloutId: rollout.id,
    resourceVersion: rollout.resourceVersion,
    route: routeRef(route),
  };
  const { offers } = route;
  const promote = offers.promote?.subset;
  const rollback = offers.rollback?.subset;
  const canaries = offers.startCanary?.subsets ?? [];
  const canaryReason =
    reason('startCanary') ??
    (canaries.length === 0
      ? 'Every subset of the DestinationRule is already in this route: add a subset to the DestinationRule first.'
      : undefined);

  if (route.delegate) return null;

  return (
    <div className={classes.row}>
      {offers.setWeights && (
        <GatedButton reason={reason('setWeights')}>
          <Button
            variant={editing ? 'contained' : 'outlined'}
            color="primary"
            startIcon={<TuneIcon />}
            disabled={Boolean(reason('setWeights'))}
            aria-expanded={editing}
            onClick={onEdit}
          >
            Set weights
          </Button>
        </GatedButton>
      )}
      {promote && (
        <GatedButton reason={reason('promote')}>
          <Button
            variant="outlined"
            startIcon={<ArrowUpwardIcon />}
            disabled={Boolean(reason('promote'))}
            onClick={() =>
              onAction({ ...base, action: 'promote', subset: promote })
            }
          >
            Promote {promote}
          </Button>
        </GatedButton>
      )}
      {rollback && (
        <GatedButton reason={reason('rollback')}>
          <Button
            variant="outlined"
            startIcon={<UndoIcon />}
            disabled={Boolean(reason('rollback'))}
            onClick={() => onAction({ ...base, action: 'rollback' })}
          >
            Roll back to {rollback}
          </Button>
        </GatedButton>
      )}
      {offers.startCanary && (
        <>
          <GatedButton reason={canaryReason}>
            <Button
              variant="outlined"
              startIcon={<AddIcon />}
              endIcon={<ArrowDropDownIcon />}
              disabled={Boolean(canaryReason)}
              aria-haspopup="menu"
              onClick={e => setMenuAnchor(e.currentTarget)}
            >
              Start canary
            </Button>
          </GatedButton>
          <Menu
            anchorEl={menuAnchor}
            open={Boolean(menuAnchor)}
            onClose={() => setMenuAnchor(null)}
            getContentAnchorEl={null}
            anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
          >
            {canaries.map(subset => (
              <MenuItem
                key={subset}
                onClick={() => {
                  setMenuAnchor(null);
                  onAction({ ...base, action: 'startCanary', subset });
                }}
              >
                Start {subset} at 0%
              </MenuItem>
            ))}
          </Menu>
        </>
      )}
    </div>
  );
};

/**
 * Switch of a blue/green header route pair, as the read model offers it: the
 * default route takes the side reached by header, and the header reaches the
 * old one.
 */
export const SwitchButton = ({
  rollout,
  offered,
  onAction,
}: {
  rollout: Rollout;
  offered: OfferedSwitch;
  onAction: (request: ActionRequest) => void;
}) => {
  const reason = disabledReason(rollout, 'switch');
  return (
    <GatedButton reason={reason}>
      <Button
        variant="outlined"
        color="primary"
        startIcon={<SwapHorizIcon />}
        disabled={Boolean(reason)}
        onClick={() =>
          onAction({
            rolloutId: rollout.id,
            resourceVersion: rollout.resourceVersion,
            action: 'switch',
            route: routeRef(offered.route),
          })
        }
      >
        Switch to {offered.offer.idle}
      </Button>
    </GatedButton>
  );
};
