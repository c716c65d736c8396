import {
  DoraMetrics,
  DoraTier,
  tierScore,
} from '@devops-maturity/backstage-plugin-common';

/** The columns the rankings sort by. */
export const SORT_KEYS = {
  name: (m: any) => (m.entityRef ?? m.ownerRef) as string,
  // An entity's owner; a team's parent group.
  owner: (m: any) =>
    ((m.entityRef ? m.ownerRef : m.parentRef) ?? null) as string | null,
  system: (m: any) => (m.systemRef ?? null) as string | null,
  overallTier: (m: DoraMetrics) =>
    m.overallTier ? tierScore(m.overallTier) : null,
  deploymentFrequency: (m: DoraMetrics) => m.deploymentFrequency.perDay,
  leadTime: (m: DoraMetrics) => m.leadTime.medianSeconds,
  changeFailureRate: (m: DoraMetrics) => m.changeFailureRate.value,
  timeToRestore: (m: DoraMetrics) => m.timeToRestore.medianSeconds,
  reworkRate: (m: DoraMetrics) => m.reworkRate.value,
  // Entities only; teams have a level distribution instead.
  maturityLevel: (m: any) => (m.maturity?.level ?? null) as number | null,
  calms: (m: any) => (m.maturity?.calms ?? null) as number | null,
} as const;

export type SortKey = keyof typeof SORT_KEYS;

/** Sorts by a column; rows without a value come last in either direction, then by name. */
export function sortRows<T extends DoraMetrics>(
  rows: T[],
  key: SortKey,
  order: 'asc' | 'desc',
): T[] {
  const value = (
    Object.hasOwn(SORT_KEYS, key) ? SORT_KEYS[key] : SORT_KEYS.overallTier
  ) as (m: T) => string | number | null;
  const name = SORT_KEYS.name as (m: T) => string;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    if (va !== null && vb !== null && va !== vb) {
      const cmp = va < vb ? -1 : 1;
      return order === 'asc' ? cmp : -cmp;
    }
    if (name(a) < name(b)) return -1;
    return name(a) > name(b) ? 1 : 0;
  });
}

/** Counts rows per overall tier (and those without one), for the distribution chart. */
export function tierDistribution(
  rows: DoraMetrics[],
): Record<DoraTier | 'none', number> {
  const out = { elite: 0, high: 0, medium: 0, low: 0, none: 0 };
  for (const r of rows) out[r.overallTier ?? 'none']++;
  return out;
}

const CSV_COLUMNS: Array<[string, (m: any) => unknown]> = [
  ['deployments', m => m.deploymentFrequency.deployments],
  ['deploysPerDay', m => m.deploymentFrequency.perDay],
  [
    'medianDeployDaysPerWeek',
    m => m.deploymentFrequency.medianDeployDaysPerWeek,
  ],
  ['deploymentFrequencyTier', m => m.deploymentFrequency.tier],
  ['leadTimeMedianSeconds', m => m.leadTime.medianSeconds],
  ['leadTimeP90Seconds', m => m.leadTime.p90Seconds],
  ['leadTimeTier', m => m.leadTime.tier],
  ['changeFailureRate', m => m.changeFailureRate.value],
  ['changeFailureRateTier', m => m.changeFailureRate.tier],
  ['timeToRestoreMedianSeconds', m => m.timeToRestore.medianSeconds],
  ['timeToRestoreTier', m => m.timeToRestore.tier],
  ['openIncidents', m => m.timeToRestore.openIncidents],
  ['reworkRate', m => m.reworkRate.value],
  ['overallTier', m => m.overallTier],
  ['maturityLevel', m => m.maturity?.level],
  ['maturityLevelName', m => m.maturity?.name],
  ['calmsScore', m => m.maturity?.calms],
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  // Quote what needs it, and defuse spreadsheet formulas in text cells.
  const safe = /^[=+\-@]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The ranking as CSV, the identity columns first. */
export function toCsv(rows: any[], identityColumns: string[]): string {
  const header = [...identityColumns, ...CSV_COLUMNS.map(([name]) => name)];
  const lines = rows.map(r =>
    [...identityColumns.map(c => r[c]), ...CSV_COLUMNS.map(([, get]) => get(r))]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
