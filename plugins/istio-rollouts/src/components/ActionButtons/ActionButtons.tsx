import {
  ActionRequest,
  NextAction,
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
import DoneAllIcon from '@material-ui/icons/DoneAll';
import ArrowDropDownIcon from '@material-ui/icons/ArrowDropDown';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import TuneIcon from '@material-ui/icons/Tune';
import UndoIcon from '@material-ui/icons/Undo';
import { cloneElement, Fragment, ReactElement, useId, useState } from 'react';
import { useEntityAccessContext } from '../../hooks/entityAccess';
import { disabledReason, OfferedSwitch } from '../../lib/actions';
import { visuallyHidden } from '../../lib/visuallyHidden';

const useStyles = makeStyles((theme: Theme) => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  visuallyHidden,
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

const ICONS: Record<RolloutAction, ReactElement> = {
  setWeights: <TuneIcon />,
  promote: <ArrowUpwardIcon />,
  rollback: <UndoIcon />,
  switch: <SwapHorizIcon />,
  startCanary: <AddIcon />,
  finish: <DoneAllIcon />,
};

/**
 * The next actions on one route, as the read model names and orders them
 * (`route.state.next`: "Promote v3", "Roll back to v1", "Finish: remove v1"),
 * the main one first and in the primary colour. Each one the caller may not
 * take is disabled with the reason. A blue/green switch is shown with its
 * pair on the card, not here.
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
  // Who owns the entity, so a lock says whom to ask rather than a permission id.
  const access = useEntityAccessContext();
  const base = {
    rolloutId: rollout.id,
    resourceVersion: rollout.resourceVersion,
    route: routeRef(route),
  };
  const next = route.state.next.filter(n => n.action !== 'switch');
  if (route.delegate || next.length === 0) return null;
  const canaries = route.offers.startCanary?.subsets ?? [];

  const request = (n: NextAction): ActionRequest | undefined => {
    switch (n.action) {
      case 'promote':
        return { ...base, action: 'promote', subset: n.subset! };
      case 'rollback':
        return { ...base, action: 'rollback' };
      case 'finish':
        return { ...base, action: 'finish' };
      default:
        return undefined;
    }
  };

  return (
    <div className={classes.row}>
      {next.map((n, i) => {
        const reason = disabledReason(rollout, n.action, access);
        const color = i === 0 ? 'primary' : 'default';
        if (n.action === 'setWeights') {
          return (
            <GatedButton key={n.action} reason={reason}>
              <Button
                variant={editing ? 'contained' : 'outlined'}
                color={color}
                startIcon={ICONS.setWeights}
                disabled={Boolean(reason)}
                aria-expanded={editing}
                onClick={onEdit}
              >
                {n.label}
              </Button>
            </GatedButton>
          );
        }
        if (n.action === 'startCanary') {
          return (
            <Fragment key={n.action}>
              <GatedButton reason={reason}>
                <Button
                  variant="outlined"
                  color={color}
                  startIcon={ICONS.startCanary}
                  endIcon={<ArrowDropDownIcon />}
                  disabled={Boolean(reason)}
                  aria-haspopup="menu"
                  onClick={e => setMenuAnchor(e.currentTarget)}
                >
                  {n.label}
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
            </Fragment>
          );
        }
        const asked = request(n);
        if (!asked) return null;
        return (
          <GatedButton key={n.action} reason={reason}>
            <Button
              variant="outlined"
              color={color}
              startIcon={ICONS[n.action]}
              disabled={Boolean(reason)}
              onClick={() => onAction(asked)}
            >
              {n.label}
            </Button>
          </GatedButton>
        );
      })}
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
  const access = useEntityAccessContext();
  const reason = disabledReason(rollout, 'switch', access);
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
