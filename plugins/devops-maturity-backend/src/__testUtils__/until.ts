import { Knex } from 'knex';

/** Resolves once `check` is true, asking again every 10 ms: a wait on a condition, not a time. */
export async function until(check: () => Promise<boolean> | boolean) {
  while (!(await check())) await new Promise(r => setTimeout(r, 10));
}

/** Whether some session waits for an advisory lock of this database (seen, not assumed). */
export async function advisoryLockAwaited(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw(
    `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
       and database = (select oid from pg_database where datname = current_database())`,
  );
  return rows[0].n > 0;
}
