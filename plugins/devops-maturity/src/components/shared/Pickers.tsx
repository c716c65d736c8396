import { FormControl, InputLabel, MenuItem, Select } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';

export const WINDOW_DAYS = [30, 90, 180, 365];

/** The window and benchmark-profile pickers shared by the tab and the ranking page. */
export function WindowProfilePickers(props: {
  days: number;
  onDaysChange: (days: number) => void;
  profile: string | undefined;
  onProfileChange: (profile: string) => void;
  /** Narrower controls, for a row shared with filters. */
  compact?: boolean;
}) {
  const { value: profiles } = useProfiles();
  return (
    <>
      <FormControl
        variant="outlined"
        size="small"
        style={
          props.compact ? { minWidth: 130 } : { minWidth: 140, marginRight: 16 }
        }
      >
        <InputLabel id="dm-window-label">Window</InputLabel>
        <Select
          labelId="dm-window-label"
          label="Window"
          value={props.days}
          onChange={e => props.onDaysChange(Number(e.target.value))}
          data-testid="window-picker"
        >
          {WINDOW_DAYS.map(d => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl
        variant="outlined"
        size="small"
        style={props.compact ? { width: 190 } : { minWidth: 220 }}
      >
        <InputLabel id="dm-profile-label">Benchmark</InputLabel>
        <Select
          labelId="dm-profile-label"
          label="Benchmark"
          value={props.profile ?? profiles?.defaultProfile ?? ''}
          onChange={e => props.onProfileChange(String(e.target.value))}
          data-testid="profile-picker"
        >
          {(profiles?.profiles ?? []).map(p => (
            <MenuItem key={p.id} value={p.id}>
              {p.title}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </>
  );
}

/** The profiles, for threshold hints. */
export function useProfiles() {
  const api = useApi(devopsMaturityApiRef);
  return useAsync(() => api.getProfiles(), [api]);
}
