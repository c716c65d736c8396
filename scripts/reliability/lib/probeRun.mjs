// What every script probe of the reliability suite does around its own work: a log with the
// seconds since start, the cleanup of backends, temp dirs and PostgreSQL databases whatever ends
// the run, one run per database, the JSON result for the runner, and the exit code.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, started } from './backend.mjs';
import { dropPgDatabases } from './count.mjs';

/**
 * Starts a probe named `id`: returns its `log`, the `tempDirs` and `pgPrefixes` its runs add
 * to (removed by the cleanup), and `run`, which runs it to its end and exits.
 */
export function startProbe({ id, pgConnection }) {
  const t0 = Date.now();
  const out = path.resolve(
    process.env.RELIABILITY_OUT ?? path.join(ROOT, 'test-results/reliability'),
  );
  const log = message =>
    console.error(
      `[${id} ${((Date.now() - t0) / 1000)
        .toFixed(1)
        .padStart(6)} s] ${message}`,
    );
  const tempDirs = new Set();
  const pgPrefixes = new Set();

  async function cleanup() {
    for (const backend of started) backend.kill();
    await Promise.all([...started].map(b => b.waitGone(15_000)));
    for (const prefix of pgPrefixes) {
      await dropPgDatabases(pgConnection, prefix).catch(error =>
        log(`could not drop the databases ${prefix}*: ${error.message}`),
      );
      pgPrefixes.delete(prefix);
    }
    for (const dir of tempDirs)
      fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  }
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      log(`${signal}: stopping the backends and removing the temp files`);
      cleanup().finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    // Last resort (an uncaught error): what can be done synchronously.
    for (const backend of started) backend.kill();
    for (const dir of tempDirs)
      fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A failed run's backend logs, kept beside the JSON (the temp dir is removed). */
  function keepLogs(r) {
    const dir = path.join(out, `${id}-logs`);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of r.logs)
      if (fs.existsSync(file))
        fs.copyFileSync(file, path.join(dir, `${r.db}-${path.basename(file)}`));
    log(`${r.label}: backend logs kept in ${path.relative(ROOT, dir)}`);
  }

  /**
   * Runs `runDatabase(r)` for each of `databases` (PostgreSQL skipped, and said so, without a
   * connection), writes `<id>.json` with `report(results)`'s figures, tables and notes, and
   * exits 0 when every result `holds`, else 1.
   */
  async function runAll({
    title,
    profile,
    databases,
    runDatabase,
    holds,
    report,
  }) {
    const results = [];
    for (const db of databases) {
      const r = {
        db,
        label: db === 'sqlite' ? 'SQLite file' : 'PostgreSQL',
        logs: [],
      };
      results.push(r);
      if (db === 'pg' && !pgConnection) {
        r.skipped =
          'RELIABILITY_PG_CONNECTION is not set (e.g. postgresql://postgres@127.0.0.1:5434)';
        log(`PostgreSQL skipped: ${r.skipped}`);
        continue;
      }
      try {
        await runDatabase(r);
      } catch (error) {
        r.error = error.message;
        log(`${r.label}: FAILED: ${error.stack ?? error}`);
        for (const b of started)
          log(`${b.name}, last lines of its log:\n${b.tail(40)}`);
      }
      if (!holds(r)) keepLogs(r);
      await cleanup();
    }
    const ok = results.every(holds);
    const output = {
      probe: id,
      title,
      profile,
      startedAt: new Date(t0).toISOString(),
      durationSeconds: Math.round((Date.now() - t0) / 100) / 10,
      ok,
      ...report(results),
    };
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `${id}.json`);
    fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
    log(
      `${ok ? 'holds' : 'FAILED'}: ${path.relative(ROOT, file)} written after ${
        output.durationSeconds
      } s`,
    );
    return ok;
  }

  function run(options) {
    runAll(options)
      .then(async ok => {
        await cleanup();
        process.exit(ok ? 0 : 1);
      })
      .catch(async error => {
        log(`FAILED: ${error.stack ?? error}`);
        await cleanup();
        process.exit(1);
      });
  }

  return { log, tempDirs, pgPrefixes, run };
}
