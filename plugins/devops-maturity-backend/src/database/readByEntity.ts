import { setImmediate as nextTurn } from 'timers/promises';
import { Knex } from 'knex';
import { isSqlite } from './util';

/** Rows per query on SQLite when an answer is large (see `readByEntity`). */
export const SQLITE_PAGE_ROWS = 10_000;

/** The field that carries the entity of a row of a query that reads several. */
const ENTITY_FIELD = 'read_by_entity_ref';

/** A column of a page's order, and the field of a row that holds it. */
export interface PageKey {
  column: string;
  field: string;
}

/**
 * Visits the rows `query` selects for the entities `entityRefs` (the filter on `entityColumn`
 * is added here), each with its entity, in no particular order across entities.
 *
 * On SQLite a large answer is read for a part of the entities at a time, down to single
 * entities, read in pages of `pageRows` rows ordered by `key` (unique within an entity), each
 * page after the last row of the one before. Why: better-sqlite3 answers a query
 * synchronously, so one query for a year of a busy team's services (577,167 changes in the
 * skewed benchmark) held the event loop for 1.5 s, and with it every plugin of the backend; a
 * page holds it for a few milliseconds, and the loop turns between pages (see `sqliteTurns`).
 * A small answer, the common case, is still one query: for several entities the first asks for
 * the whole answer, limited to one row more than a page; for one, the first page is that
 * query. On PostgreSQL the driver parses an answer as it arrives, between turns of the loop:
 * always one query, visited in slices of `pageRows` rows with a turn between them.
 *
 * A query of one entity does not select the entity column: each row would carry a copy of the
 * same string, which was the larger part of reading a busy service's year of changes
 * (203 ms of 150,000 rows against 117 ms without it).
 *
 * A page also selects the columns of `key` (the query need not select them: on PostgreSQL,
 * never paged, a sha per change would be read for nothing).
 *
 * `key` must follow an index of `entityColumn` then its columns, so that each page starts
 * with a seek: the primary key of the changes (entity, sha), the entity-time index of the
 * deployments (entity, counts, finished_at, then the row id).
 *
 * An entity of several pages has them read in one read transaction: one snapshot. Why: the
 * loop turns between pages, and a write can take SQLite's one connection there; a deployment
 * whose time a resend moved across the cursor would be read twice or missed. Per entity, not
 * per read: the transaction holds the connection, so writes wait for one entity's pages (a
 * busy service's year: ~200 ms), not for a team's or the whole catalog's.
 *
 * `query` builds on the knex it is given (the transaction's, for pages).
 */
export async function readByEntity<R extends Record<string, unknown>>(
  knex: Knex,
  entityRefs: string[],
  entityColumn: string,
  query: (knex: Knex) => Knex.QueryBuilder,
  key: PageKey[],
  visit: (entityRef: string, row: R) => void,
  pageRows = SQLITE_PAGE_ROWS,
): Promise<void> {
  // Sorted as SQLite sorts an `IN` list before walking it, so that the parts below follow its
  // walk (a performance guess only). An entity read twice would count twice.
  const refs = [...new Set(entityRefs)].sort();
  if (refs.length === 0) return;
  const sqlite = isSqlite(knex);
  if (refs.length === 1 && !sqlite) {
    const [ref] = refs;
    const rows: R[] = await query(knex).where(entityColumn, ref);
    await visitInSlices(rows, row => visit(ref, row), pageRows);
    return;
  }
  if (refs.length > 1) {
    const whole = query(knex)
      .select({ [ENTITY_FIELD]: entityColumn })
      .whereIn(entityColumn, refs);
    if (sqlite) whole.limit(pageRows + 1);
    const rows: R[] = await whole;
    if (!sqlite || rows.length <= pageRows) {
      await visitInSlices(
        rows,
        row => visit(row[ENTITY_FIELD] as string, row),
        pageRows,
      );
      return;
    }
    // More than a page: the entities are read in parts, each the same way, down to single
    // entities, which are paged. Entity by entity, 500 services of a few dozen rows each took
    // 500 queries where a few do (the hourly check signals: 8,000 queries at 10,000 services).
    // SQLite looks the entities up one after the other, so the page holds whole entities but
    // the last: as many as it reached, less one, should fit in a part. When the first filled
    // the page on its own, it is read alone, and the others in parts as before. Only a
    // performance guess: whatever the order of the rows, every entity is read in some part.
    const reached = [...new Set(rows.map(r => r[ENTITY_FIELD] as string))];
    let rest = refs;
    if (reached.length === 1) {
      await readByEntity(
        knex,
        reached,
        entityColumn,
        query,
        key,
        visit,
        pageRows,
      );
      rest = refs.filter(ref => ref !== reached[0]);
    }
    const half = Math.ceil(rest.length / 2);
    const size = reached.length > 1 ? Math.min(half, reached.length - 1) : half;
    for (let i = 0; i < rest.length; i += size) {
      const part = rest.slice(i, i + size);
      await readByEntity(knex, part, entityColumn, query, key, visit, pageRows);
    }
    return;
  }

  const pages = { entityColumn, query, key, pageRows };
  for (const ref of refs) {
    // Most entities fit in a page: one query, no transaction (its BEGIN and COMMIT cost a
    // small entity's read a fifth more). One that does not is read again from its start, all
    // its pages in one transaction, so the first page is read twice.
    const first: R[] = await pageOf(knex, ref, undefined, pages);
    if (first.length < pageRows) {
      for (const row of first) visit(ref, row);
      continue;
    }
    await knex.transaction(async trx => {
      let after: unknown[] | undefined;
      for (;;) {
        const found: R[] = await pageOf(trx, ref, after, pages);
        for (const row of found) visit(ref, row);
        if (found.length < pageRows) break;
        const last = found[found.length - 1];
        after = key.map(k => last[k.field]);
      }
    });
  }
}

/** A page of an entity's rows by `key`, after the row whose key is `after` if given. */
function pageOf(
  knex: Knex,
  ref: string,
  after: unknown[] | undefined,
  pages: {
    entityColumn: string;
    query: (knex: Knex) => Knex.QueryBuilder;
    key: PageKey[];
    pageRows: number;
  },
) {
  const { entityColumn, query, key, pageRows } = pages;
  const page = query(knex)
    .select(key.map(k => k.column))
    .where(entityColumn, ref)
    .orderBy(key.map(k => k.column))
    .limit(pageRows);
  if (after) {
    // A row value: the page starts after the last row of the one before, by the key.
    page.whereRaw(
      `(${key.map(() => '??').join(', ')}) > (${key
        .map(() => '?')
        .join(', ')})`,
      [...key.map(k => k.column), ...(after as any[])],
    );
  }
  return page;
}

/**
 * Visits rows with a turn of the event loop after each `slice` of them. Why: PostgreSQL's
 * answer arrives whole (parsed between turns as it streams in), and visiting a team's year
 * of changes at once (577,167 rows, each a conversion of its numbers) held the loop 230 ms.
 */
async function visitInSlices<R>(
  rows: R[],
  visit: (row: R) => void,
  slice: number,
) {
  for (let start = 0; start < rows.length; start += slice) {
    if (start > 0) await nextTurn();
    const end = Math.min(rows.length, start + slice);
    for (let i = start; i < end; i++) visit(rows[i]);
  }
}
