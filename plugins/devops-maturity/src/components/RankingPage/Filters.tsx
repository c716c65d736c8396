import { ReactNode } from 'react';
import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import { OwnerScorecard } from '@devops-maturity/backstage-plugin-common';

export interface RankingFilters {
  owner?: string;
  system?: string;
  lifecycle?: string;
  tier?: string;
  q?: string;
}

const TIERS = [
  ['elite', 'Elite'],
  ['high', 'High'],
  ['medium', 'Medium'],
  ['low', 'Low'],
  ['none', 'No data'],
];

/** Owner (with sub-teams), system, lifecycle, overall tier, and text search. */
export function Filters(props: {
  value: RankingFilters;
  onChange: (value: RankingFilters) => void;
  teams: OwnerScorecard[];
  showEntityFilters: boolean;
  /** Controls shown first in the same row, e.g. the window and benchmark pickers. */
  leading?: ReactNode;
}) {
  const { value, onChange, teams, showEntityFilters, leading } = props;
  const set = (patch: Partial<RankingFilters>) =>
    onChange({ ...value, ...patch });
  const select = (
    id: string,
    label: string,
    current: string | undefined,
    options: string[][],
    onSelect: (v?: string) => void,
    minWidth = 130,
  ) => (
    <FormControl
      variant="outlined"
      size="small"
      style={{ minWidth }}
      title={id === 'owner' ? 'A team, with its sub-teams' : undefined}
    >
      <InputLabel id={`dm-${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`dm-${id}-label`}
        label={label}
        value={current ?? ''}
        onChange={e => onSelect((e.target.value as string) || undefined)}
        data-testid={`filter-${id}`}
      >
        <MenuItem value="">
          <em>All</em>
        </MenuItem>
        {options.map(([v, text]) => (
          <MenuItem key={v} value={v}>
            {text}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
      mb={2}
    >
      {leading}
      <TextField
        variant="outlined"
        size="small"
        label="Search"
        style={{ width: 150 }}
        value={value.q ?? ''}
        onChange={e => set({ q: e.target.value || undefined })}
        inputProps={{ 'data-testid': 'filter-search' }}
      />
      {showEntityFilters &&
        select(
          'owner',
          'Owner',
          value.owner,
          teams.map(t => [t.ownerRef, t.title ?? t.ownerRef]),
          owner => set({ owner }),
          170,
        )}
      {showEntityFilters && (
        <TextField
          variant="outlined"
          size="small"
          label="System"
          style={{ width: 130 }}
          placeholder="e.g. payments"
          value={value.system ?? ''}
          onChange={e => set({ system: e.target.value || undefined })}
        />
      )}
      {showEntityFilters &&
        select(
          'lifecycle',
          'Lifecycle',
          value.lifecycle,
          [
            ['production', 'production'],
            ['experimental', 'experimental'],
            ['deprecated', 'deprecated'],
          ],
          lifecycle => set({ lifecycle }),
        )}
      {select('tier', 'Overall tier', value.tier, TIERS, tier => set({ tier }))}
    </Box>
  );
}
