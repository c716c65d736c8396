import { Duration } from 'luxon';
import { DoraTier } from '@devops-maturity/backstage-plugin-common';

/** A duration in the two largest units that matter: "45 s", "12 min", "3 h 20 min", "4 d 6 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const d = Duration.fromObject({ seconds: Math.round(seconds) }).shiftTo(
    'days',
    'hours',
    'minutes',
  );
  const days = Math.floor(d.days);
  const hours = Math.floor(d.hours);
  const minutes = Math.floor(d.minutes);
  if (days >= 1) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours >= 1) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** A rate per day, as people say it: "2.4 deploys/day", "3 deploys/week", "1 deploy/month". */
export function formatFrequency(perDay: number | null | undefined): string {
  if (perDay === null || perDay === undefined) return '–';
  const plural = (n: number, unit: string) =>
    `${n} ${n === 1 ? 'deploy' : 'deploys'}/${unit}`;
  if (perDay >= 1) return plural(Number(perDay.toFixed(1)), 'day');
  if (perDay * 7 >= 1) return plural(Number((perDay * 7).toFixed(1)), 'week');
  if (perDay * 30 >= 0.05)
    return plural(Number((perDay * 30).toFixed(1)), 'month');
  return plural(0, 'month');
}

/** A share as a percentage: "12.5%". */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const pct = value * 100;
  return `${Number.isInteger(pct) ? pct : pct.toFixed(1)}%`;
}

export const TIER_LABELS: Record<DoraTier, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Tier colours: green to red, readable on light and dark themes. */
export const TIER_COLORS: Record<DoraTier, string> = {
  elite: '#1b7f3b',
  high: '#2e7dbb',
  medium: '#b7791f',
  low: '#c53030',
};
