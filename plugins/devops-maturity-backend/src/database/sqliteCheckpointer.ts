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
let quietChecks = 0;
let lastLog = -1;
parentPort.on('message', message => {
  if (message === 'stop') stopping = true;
  if (message === 'truncate') {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      parentPort.postMessage('truncated');
    } catch (error) {
      parentPort.postMessage({ error: String(error), truncated: true });
    }
  }
});
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
    const quiet = r.busy === 0 && r.log > 0 && !behind && r.log === lastLog;
    lastLog = r.log;
    quietChecks = quiet ? quietChecks + 1 : 0;
    if (quietChecks === workerData.quietChecks) parentPort.postMessage('quiet');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
  setTimeout(checkpoint, behind ? 0 : workerData.idleMs);
}
checkpoint();
`;

/**
 * Frames (of 4 KB) after which the writer checkpoints itself: the log's bound, 800 MB.
 *
 * Why so many: under a sustained stream of batches the worker cannot copy pages as fast as
 * the writer logs them, so the log grows until this bound, where the writer copies what is
 * left. The longer that cycle, the more often a page changed by several batches is copied
 * once, for the latest of its versions. Measured with `BENCH_ONLY=ingestion BENCH_DAYS=180
 * ./scripts/bench.sh` (events/s): 20,000 frames 18,282; 50,000 20,058; 100,000 21,437;
 * 200,000 22,817-23,317; 400,000 24,130 (one machine, one run each, ~10% run-to-run spread).
 * Once ingestion goes quiet the log is truncated, so the bound is the high-water mark of a
 * burst, not disk space held for good.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 200_000;

/** Checks (every `idleMs`) finding the log copied and unchanged, after which it is truncated. */
const QUIET_CHECKS_BEFORE_TRUNCATE = 10;

/**
 * On a file-backed SQLite database, moves WAL checkpoints off the thread that takes events.
 *
 * Why: SQLite checkpoints inside the commit that crosses `wal_autocheckpoint`; with a batch of
 * events dirtying thousands of pages, nearly every commit paid for copying them into the
 * database and for two fsyncs. Measured with `BENCH_ONLY=ingestion BENCH_DAYS=60
 * ./scripts/bench.sh`: without checkpoints in the commit, ingestion ran about 30% faster. A
 * worker thread does the copying on the other core; the writer still checkpoints itself if
 * the log grows past FALLBACK_AUTOCHECKPOINT_PAGES, so the log stays bounded.
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
  const connections = (knex.client.config.pool as { max?: number })?.max ?? 1;
  if (connections !== 1) {
    // The truncation relies on this thread's writer having one connection (see below).
    options.onError?.(
      `not started: it needs SQLite's one connection, and backend.database.knexConfig.pool.max is ${connections}`,
    );
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
    workerData: {
      driverPath,
      filename,
      idleMs: options.idleMs ?? 100,
      quietChecks: QUIET_CHECKS_BEFORE_TRUNCATE,
    },
  });
  worker.unref(); // never what keeps a process alive
  /** Settles the truncation waiting for the worker's answer, if one is. */
  let answerTruncation: (() => void) | undefined;
  let exited = false;
  worker.once('exit', () => {
    exited = true;
    answerTruncation?.();
  });
  let stopping = false;
  let truncating: Promise<unknown> = Promise.resolve();
  worker.on('message', message => {
    if (message?.error) options.onError?.(message.error);
    if (message === 'truncated' || message?.truncated) answerTruncation?.();
    // Truncated by the worker while this thread's connection (knex's only one for SQLite)
    // is held in a transaction that reads nothing, so that no transaction of the writer's is
    // open meanwhile: a transaction that has read already cannot wait for the write lock a
    // TRUNCATE holds (SQLite answers it SQLITE_BUSY at once). Run on this thread, the
    // TRUNCATE held the event loop, and every plugin of the backend, for 380-470 ms after a
    // burst (the longest stall of the benchmark's recomputation, 2,000 entities); the
    // writer's queries now wait for it, the event loop does not. Messages arrive when this
    // thread's event loop turns: between requests in a backend; a process running nothing but
    // chained synchronous database calls (the benchmark) gets them all at the end.
    if (message === 'quiet' && !stopping && !exited) {
      truncating = knex
        .transaction(async () => {
          // The connection may have come free only after a stop, or the worker's end.
          if (stopping || exited) return;
          await new Promise<void>(resolve => {
            answerTruncation = resolve;
            worker.postMessage('truncate');
          });
          answerTruncation = undefined;
        })
        .catch(error => options.onError?.(String(error)));
    }
  });
  worker.on('error', error => options.onError?.(String(error)));
  await knex.raw(
    `PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`,
  );
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      stopped ??= new Promise<void>(resolve => {
        if (exited) {
          resolve();
          return;
        }
        worker.once('exit', () => resolve());
        // Not `once`: a 'quiet' or an error may come first.
        worker.on('message', message => {
          if (message === 'stopped') worker.terminate().then(() => resolve());
        });
        worker.postMessage('stop');
      }).then(() => truncating.then(() => undefined));
      return stopped;
    },
  };
}
