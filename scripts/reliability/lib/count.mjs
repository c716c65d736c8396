// Counts what the plugin stored, straight from its database (the backend may be running: on
// SQLite the file is in WAL mode, so a reader does not block it).
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './backend.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const knexFactory = require('knex');

/** The plugin's database: `{ kind: 'sqlite', file }` or `{ kind: 'pg', url }`. */
export function openPluginDb(target) {
  return target.kind === 'sqlite'
    ? knexFactory({
        client: 'better-sqlite3',
        connection: { filename: target.file, fileMustExist: true },
        useNullAsDefault: true,
      })
    : knexFactory({
        client: 'pg',
        connection: target.url,
        pool: { min: 0, max: 2 },
      });
}

/** A PostgreSQL server's connection string pointed at database `name`. */
export function pgUrl(connection, name) {
  const url = new URL(connection);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Every stored deployment's external id of `source`. */
export async function deploymentIds(db, source) {
  const rows = await db('dm_deployments')
    .where({ source })
    .select('external_id');
  return new Set(rows.map(r => r.external_id));
}

export async function countRows(db, table, where = {}) {
  const [{ n }] = await db(table).where(where).count({ n: '*' });
  return Number(n);
}

/** (source, id) pairs stored more than once among `sources`: none, if the key holds. */
export async function duplicates(db, table, keyColumns, where) {
  const [{ n }] = await db
    .from(
      db(table)
        .where(where)
        .select(keyColumns)
        .groupBy(keyColumns)
        .havingRaw('count(*) > 1')
        .as('d'),
    )
    .count({ n: '*' });
  return Number(n);
}

/** What the probe reads after each step, for the counts that must not move. */
export async function snapshot(db, { pushSource, webhookSource }) {
  return {
    deployments: await countRows(db, 'dm_deployments', { source: pushSource }),
    entityChanges: await countRows(db, 'dm_entity_changes'),
    webhookDeployments: await countRows(db, 'dm_deployments', {
      source: webhookSource,
    }),
    deliveries: await countRows(db, 'dm_deliveries', { source: webhookSource }),
  };
}

/** Drops the databases a run created on PostgreSQL (all named with its prefix). */
export async function dropPgDatabases(connection, prefix) {
  const admin = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 1 },
  });
  try {
    const { rows } = await admin.raw(
      `SELECT datname FROM pg_database WHERE starts_with(datname, ?)`,
      [prefix],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [datname]);
    }
    return rows.length;
  } finally {
    await admin.destroy();
  }
}
