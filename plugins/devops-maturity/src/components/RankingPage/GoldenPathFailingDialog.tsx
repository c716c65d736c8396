import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import useAsync from 'react-use/esm/useAsync';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { CodeText } from '../shared/CodeText';
import { LevelChip } from '../shared/LevelChip';
import { useCsvDownload } from '../shared/useCsvDownload';

/** Which cell (a check and a team) or column (a check) of the matrix to list. */
export interface FailingSelection {
  check: { id: string; title: string };
  /** Absent: every service of the organisation. */
  owner?: { ownerRef: string; title?: string };
}

/**
 * The services behind a cell or a column of the golden-path matrix: those failing the check,
 * each with what the check found and a link to its maturity tab, and how to fix it.
 */
export function GoldenPathFailingDialog(props: {
  selection?: FailingSelection;
  days: number;
  profile?: string;
  /** The level names, as the matrix has them. */
  levels?: Array<{ level: number; name: string }>;
  onClose: () => void;
}) {
  const { selection, days, profile, levels, onClose } = props;
  const api = useApi(devopsMaturityApiRef);
  const download = useCsvDownload();
  const entityRoute = useRouteRef(entityRouteRef);
  const query = selection && {
    check: selection.check.id,
    owner: selection.owner?.ownerRef,
    days,
    profile,
  };
  const { value, loading, error } = useAsync(
    async () => (query ? api.getGoldenPathFailing(query) : undefined),
    [api, JSON.stringify(query)],
  );
  if (!selection || !query) return null;
  const teamName =
    selection.owner?.title ?? selection.owner?.ownerRef ?? 'the organisation';

  const downloadCsv = () =>
    download(
      () => api.getGoldenPathFailingCsv(query),
      `golden-path-${query.check}-${
        selection.owner ? selection.owner.ownerRef.replace(/[:/]/g, '-') : 'all'
      }-${days}d.csv`,
    );

  let body: React.ReactNode;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value && value.items.length === 0)
    body = (
      <Typography data-testid="failing-empty">
        No service of {teamName} fails {selection.check.title}
        {value.applicable === 0
          ? ' (it applies to none of them in this window).'
          : '.'}
      </Typography>
    );
  else if (value)
    body = (
      <>
        <Box mb={2} data-testid="failing-fix">
          <Typography variant="body2" color="textSecondary" gutterBottom>
            {value.check.description}
          </Typography>
          <Typography variant="body2">
            <strong>How to fix: </strong>
            <CodeText text={value.check.howToFix} />
            {value.check.docsUrl && (
              <>
                {' '}
                <Link to={value.check.docsUrl}>Read more</Link>
              </>
            )}
          </Typography>
        </Box>
        <Table size="small" data-testid="failing-list">
          <TableHead>
            <TableRow>
              <TableCell>Service</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>Level</TableCell>
              <TableCell>What the check found</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(i => (
              <TableRow
                key={i.entityRef}
                data-testid={`failing-${i.entityRef}`}
              >
                <TableCell>
                  <EntityRefLink entityRef={i.entityRef} title={i.title} />
                </TableCell>
                <TableCell>
                  {i.ownerRef ? (
                    <EntityRefLink
                      entityRef={i.ownerRef}
                      title={i.ownerTitle}
                      defaultKind="group"
                    />
                  ) : (
                    '–'
                  )}
                </TableCell>
                <TableCell>
                  <LevelChip
                    level={i.level}
                    name={
                      i.level === 0
                        ? 'Unrated'
                        : levels?.find(l => l.level === i.level)?.name
                    }
                  />
                </TableCell>
                <TableCell>
                  {i.evidence}
                  {i.statusNow === 'pass' && (
                    // Listed by the matrix's last computation, fixed since: say so, not hide it.
                    <Typography
                      variant="caption"
                      display="block"
                      color="textSecondary"
                      data-testid="passes-now"
                    >
                      Passes now; the matrix catches up at its next computation.
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  <Link
                    to={`${entityRoute(
                      entityRouteParams(i.entityRef),
                    )}/maturity`}
                  >
                    Maturity tab
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </>
    );

  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth>
      <DialogTitle>
        {selection.check.title}:{' '}
        {selection.owner
          ? `services of ${teamName} failing it`
          : 'every service failing it, by team'}
        {value && value.items.length > 0 && (
          <Typography variant="body2" color="textSecondary" component="div">
            {`${value.items.length} of ${
              value.applicable
            } services where it applies${
              selection.owner ? ', sub-teams included' : ''
            }; last ${days} days`}
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers>{body}</DialogContent>
      <DialogActions>
        <Button
          startIcon={<GetAppIcon />}
          onClick={downloadCsv}
          disabled={!value || value.items.length === 0}
        >
          Download CSV
        </Button>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
