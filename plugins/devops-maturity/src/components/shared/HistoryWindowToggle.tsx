import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';

/** The windows the daily history is charted over (the history routes take these). */
export const HISTORY_WINDOWS = [90, 180, 365] as const;

/** One of {@link HISTORY_WINDOWS}. */
export type HistoryDays = (typeof HISTORY_WINDOWS)[number];

/** The shortest history window that covers `days` (a page's 30 days draw 90). */
export const historyDaysCovering = (days?: number): HistoryDays =>
  HISTORY_WINDOWS.find(w => w >= (days ?? 90)) ?? 365;

/** 90 / 180 / 365 days, as a history card's action. */
export function HistoryWindowToggle(props: {
  value: HistoryDays;
  onChange: (days: HistoryDays) => void;
  label: string;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value}
      onChange={(_, v: HistoryDays | null) => v && props.onChange(v)}
      aria-label={props.label}
    >
      {HISTORY_WINDOWS.map(d => (
        <ToggleButton key={d} value={d} aria-label={`${d} days`}>
          {d} days
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
