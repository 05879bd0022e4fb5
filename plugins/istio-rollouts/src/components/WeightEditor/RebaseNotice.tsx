import Button from '@material-ui/core/Button';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { destinationChanges, RouteMove } from '../../lib/rebase';
import { SubsetSwatch } from '../RouteTrafficBar';

const useStyles = makeStyles((theme: Theme) => ({
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  table: {
    width: 'auto',
    '& th, & td': {
      color: 'inherit',
      borderBottomColor: 'currentColor',
      padding: theme.spacing(0.5, 2, 0.5, 0),
    },
  },
  name: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  differs: {
    fontWeight: theme.typography.fontWeightBold as number,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
}));

const percent = (weight?: number) =>
  weight === undefined ? '—' : `${weight}%`;

export interface RebaseNoticeProps {
  move: RouteMove;
  /** The resourceVersion the draft was made on, and the route's now. */
  from: string;
  to: string;
  /** Id of the sentence that says why Review is off, for the button's description. */
  messageId: string;
  onRebase: () => void;
  onStartOver: () => void;
}

/**
 * The route changed under an open edit: the split the edit started from, the
 * draft and the route now side by side, and the ways on — the draft on the new
 * version (then a new dry run), or the new split. Nothing is applied here.
 */
export const RebaseNotice = ({
  move,
  from,
  to,
  messageId,
  onRebase,
  onStartOver,
}: RebaseNoticeProps) => {
  const classes = useStyles();
  return (
    <Alert severity="warning">
      <AlertTitle>This route changed while you were editing</AlertTitle>
      <div className={classes.body}>
        <Typography variant="body2" id={messageId}>
          {move.splitMoved
            ? 'Its weights were changed elsewhere'
            : 'Its weights are as you found them, but something else in the VirtualService changed'}{' '}
          (resourceVersion {from}, now {to}). Your weights can’t be reviewed
          against the old version; nothing has been overwritten.
        </Typography>
        <Table
          size="small"
          className={classes.table}
          aria-label="Weights when you started, yours and now"
        >
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                Destination
              </TableCell>
              <TableCell component="th" scope="col" align="right">
                When you started
              </TableCell>
              <TableCell component="th" scope="col" align="right">
                Yours
              </TableCell>
              <TableCell component="th" scope="col" align="right">
                Now
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {move.rows.map(row => (
              <TableRow key={row.key}>
                <TableCell component="th" scope="row">
                  <span className={classes.name}>
                    <SubsetSwatch subset={row.key} />
                    {row.key}
                  </span>
                </TableCell>
                <TableCell align="right">{percent(row.started)}</TableCell>
                <TableCell align="right">{percent(row.mine)}</TableCell>
                <TableCell
                  align="right"
                  className={row.now !== row.mine ? classes.differs : undefined}
                >
                  {percent(row.now)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!move.sameDestinations && (
          <Typography variant="body2">
            The route’s destinations changed: {destinationChanges(move)}. Your
            weights can’t be carried over; start again from the new split.
          </Typography>
        )}
        <div className={classes.actions}>
          {move.sameDestinations && (
            <Button
              variant="contained"
              color="primary"
              size="small"
              onClick={onRebase}
            >
              Apply my weights on the new version
            </Button>
          )}
          <Button
            variant={move.sameDestinations ? 'outlined' : 'contained'}
            color="primary"
            size="small"
            onClick={onStartOver}
          >
            Start from the new split
          </Button>
        </div>
      </div>
    </Alert>
  );
};
