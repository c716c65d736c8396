import { CheckOutcome } from './checks';

/** A check's status on a recorded day. @public */
export type CheckStatus = CheckOutcome['status'];

/** One recorded day of an entity's check results, as the daily history keeps it. @public */
export interface CheckHistoryDay {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Each check's status that day, by check id. */
  results: Array<{ id: string; status: string }>;
}

/** A day on which a check's status differed from the previous recorded day's. @public */
export interface CheckStatusChange {
  /** The UTC day, `YYYY-MM-DD`, of the first record with the new status. */
  day: string;
  /** The check's id. */
  checkId: string;
  /**
   * The status on the previous recorded day. Always set: a check the previous day did not record
   * has no change on the day it appears, that day being its baseline.
   */
  from: CheckStatus;
  /** The status from `day` on. */
  to: CheckStatus;
}

/**
 * The days each check started or stopped passing (or became applicable), from an entity's daily
 * records. Days without a record are skipped: a change is measured against the previous recorded
 * day, and the first recorded day is the baseline, not a change. So is the first day that records
 * a check (an upgrade that adds five checks is not five changes the next day), and a check a day
 * no longer records (disabled, say) is no change either: nothing says how it would fare.
 * Changes come oldest first, and within a day in the order of that day's results.
 * @public
 */
export function checkStatusChanges(
  days: CheckHistoryDay[],
): CheckStatusChange[] {
  const ordered = [...days].sort((a, b) => a.day.localeCompare(b.day));
  const changes: CheckStatusChange[] = [];
  let previous: Map<string, CheckStatus> | undefined;
  for (const { day, results } of ordered) {
    const current = new Map(
      results.map(r => [r.id, r.status as CheckStatus] as const),
    );
    if (previous) {
      for (const [checkId, to] of current) {
        const from = previous.get(checkId);
        if (from !== undefined && from !== to) {
          changes.push({ day, checkId, from, to });
        }
      }
    }
    previous = current;
  }
  return changes;
}
