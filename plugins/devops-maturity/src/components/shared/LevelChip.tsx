import { Chip } from '@material-ui/core';

/** Level colours from red (1) to green (5). */
export const LEVEL_COLORS: Record<number, string> = {
  0: '#9e9e9e',
  1: '#c62828',
  2: '#ef6c00',
  3: '#f9a825',
  4: '#7cb342',
  5: '#2e7d32',
};

/** A maturity level as its number and name on its colour. */
export function LevelChip(props: { level?: number; name?: string }) {
  const { level, name } = props;
  if (level === undefined)
    return <Chip size="small" variant="outlined" label="Not rated yet" />;
  return (
    <Chip
      size="small"
      label={`${level} ${name ?? ''}`.trim()}
      data-testid={`level-chip-${level}`}
      style={{
        backgroundColor: LEVEL_COLORS[level] ?? '#2e7d32',
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}
