import { Worker } from 'worker_threads';
import { Knex } from 'knex';

/**
 * The worker: its own connection to the database file, copying committed pages from the
 * write-ahead log into the database whenever the log has some. PASSIVE never blocks the
 * writer; the writer restarts the log once everything in it was copied.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
let stopping = false;
parentPort.on('message', message => { if (message === 'stop') stopping = true; });
function checkpoint() {
  if (stopping) {
    db.close();
    parentPort.postMessage('stopped');
    return;
  }
  let behind = false;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = r.busy === 0 && r.log > r.checkpointed;
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
  setTimeout(checkpoint, behind ? 0 : workerData.idleMs);
}
checkpoint();
`;

/** Frames after which the writer checkpoints itself, should the worker fall behind. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;

/**
 * On a file-backed SQLite database, moves WAL checkpoints off the thread that takes events.
 *
 * Why: SQLite checkpoints inside the commit that crosses `wal_autocheckpoint`; with a batch of
 * events dirtying thousands of pages, nearly every commit paid for copying them into the
 * database and for two fsyncs. Measured with `BENCH_ONLY=ingestion BENCH_DAYS=60
 * ./scripts/bench.sh`: without checkpoints in the commit, ingestion ran about 30% faster. A
 * worker thread does the copying on the other core; the writer still checkpoints itself if
 * the log grows past FALLBACK_AUTOCHECKPOINT_PAGES (80 MB), so the log stays bounded.
 *
 * Returns undefined (nothing to do) for in-memory databases and other clients.
 */
export async function startSqliteCheckpointer(
  knex: Knex,
  options: { idleMs?: number; onError?: (message: string) => void } = {},
): Promise<{ stop(): Promise<void> } | undefined> {
  const client = String(knex.client.config.client);
  const connection = knex.client.config.connection as
    | { filename?: string }
    | undefined;
  const filename = connection?.filename;
  if (client !== 'better-sqlite3' || !filename || filename === ':memory:') {
    return undefined;
  }
  const [{ journal_mode: mode }] = await knex.raw('PRAGMA journal_mode');
  if (String(mode).toLowerCase() !== 'wal') return undefined;
  // The driver knex loaded, so that both connections use the same SQLite.
  const driverPath = require.resolve('better-sqlite3', {
    paths: [require.resolve('knex')],
  });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driverPath, filename, idleMs: options.idleMs ?? 100 },
  });
  worker.unref(); // never what keeps a process alive
  let exited = false;
  worker.once('exit', () => {
    exited = true;
  });
  worker.on('message', message => {
    if (message?.error) options.onError?.(message.error);
  });
  worker.on('error', error => options.onError?.(String(error)));
  await knex.raw(
    `PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`,
  );
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>(resolve => {
        if (exited) {
          resolve();
          return;
        }
        worker.once('exit', () => resolve());
        worker.once('message', message => {
          if (message === 'stopped') worker.terminate().then(() => resolve());
        });
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
