import { Box, Tooltip, Typography } from '@material-ui/core';

/** One part of a mix: a tier or a level, how many sit in it, its colour. */
export interface MixPart {
  key: string;
  label: string;
  count: number;
  color: string;
}

/**
 * How a whole splits into parts, as one stacked bar with a legend of counts underneath: reads
 * at a glance where a chart would take a card. A part can be clicked when `onSelect` is given.
 */
export function MixBar(props: {
  parts: MixPart[];
  onSelect?: (key: string) => void;
  testId?: string;
}) {
  const { parts, onSelect, testId } = props;
  const total = parts.reduce((n, p) => n + p.count, 0);
  return (
    <Box data-testid={testId}>
      <Box
        display="flex"
        height={12}
        borderRadius={6}
        overflow="hidden"
        bgcolor="action.hover"
      >
        {parts
          .filter(p => p.count > 0)
          .map(p => (
            <Tooltip key={p.key} title={`${p.label}: ${p.count} of ${total}`}>
              <div
                style={{ flexGrow: p.count, background: p.color }}
                aria-hidden
              />
            </Tooltip>
          ))}
      </Box>
      <Box display="flex" flexWrap="wrap" mt={0.75} style={{ columnGap: 12 }}>
        {parts.map(p => {
          const legend = (
            <>
              <span
                style={{
                  display: 'inline-block',
                  width: 8,
                  height: 8,
                  borderRadius: 4,
                  marginRight: 4,
                  background: p.color,
                }}
              />
              {p.label} <strong>{p.count}</strong>
            </>
          );
          return (
            <Typography
              key={p.key}
              variant="caption"
              data-testid={testId && `${testId}-${p.key}`}
              data-count={p.count}
              style={{ whiteSpace: 'nowrap' }}
            >
              {onSelect && p.count > 0 ? (
                <button
                  type="button"
                  onClick={() => onSelect(p.key)}
                  title={`Show only ${p.label}`}
                  style={{
                    background: 'none',
                    border: 0,
                    padding: 0,
                    font: 'inherit',
                    color: 'inherit',
                    cursor: 'pointer',
                  }}
                >
                  {legend}
                </button>
              ) : (
                legend
              )}
            </Typography>
          );
        })}
      </Box>
    </Box>
  );
}
