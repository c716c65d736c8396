// The reliability suite's load probe (issue #17). On a SQLite file, then on PostgreSQL, the real
// backend (packages/backend, as the demo runs it) with a generated catalog of many teams:
// 1. an idle baseline: the same requests, a few a second;
// 2. under load: 500 push requests a second (10 deployments each, with their commits) and 200
//    ranking reads a second together, open-loop (each request starts when it is due, whatever
//    the answers do), with the health route asked 20 times a second as a witness of stalls;
//    every acknowledged deployment must be stored and counted by the ranking;
// 3. on PostgreSQL, two replicas on the one database, the same load split between them: both
//    must answer every read route alike afterwards, count every deployment either took, and
//    never run the rankings job at the same time.
//
// Usage: node scripts/reliability/load.mjs [--profile short|full] [--db sqlite,pg]
//          [--seconds N] [--port P] [--push-rate N] [--read-rate N]
//   RELIABILITY_PROFILE        short (CI: 5 s of load) or full (60 s; default)
//   RELIABILITY_PG_CONNECTION  e.g. postgresql://postgres@127.0.0.1:5434; without it PostgreSQL
//                              and the two replicas are skipped, and the result says so
//   RELIABILITY_OUT            where load.json goes (default test-results/reliability)
// Exits 1 when an answer was an error or an acknowledged deployment is missing; a latency over
// its bound is reported as missed and does not fail the run. Progress goes to stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Backend, ROOT, freePort, started } from './lib/backend.mjs';
import {
  demoSetup,
  waitForCatalog,
  writeGeneratedCatalog,
} from './lib/catalog.mjs';
import { dropPgDatabases, pgUrl } from './lib/count.mjs';
import { DeploymentPlan } from './lib/traffic.mjs';
import { compareReplicas } from './load/compare.mjs';
import { runLoad } from './load/phase.mjs';
import { figuresOf, holds, notesOf, tablesOf } from './load/report.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const YAML = require('yaml');

const PROFILES = {
  // CI: long enough for the rankings job to run under load, short enough for the backlog an
  // overloaded backend builds to drain within the suite's 5 minutes.
  short: { seconds: 5, idleSeconds: 3 },
  full: { seconds: 60, idleSeconds: 15 },
};
/** What the issue asks, the same in both profiles: only the duration differs. */
const LOAD = {
  pushRate: 500,
  batch: 10,
  readRate: 200,
  healthRate: 20,
  idleRate: 5,
  p99BoundMs: 250,
  catalog: { departments: 4, teams: 40, services: 400 },
  seed: 52_026,
};

const args = process.argv.slice(2);
const flag = name => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const profileName =
  flag('--profile') ?? process.env.RELIABILITY_PROFILE ?? 'full';
if (!PROFILES[profileName]) {
  console.error(`--profile: '${profileName}' is not short or full`);
  process.exit(2);
}
const profile = {
  ...PROFILES[profileName],
  ...(flag('--seconds') ? { seconds: Number(flag('--seconds')) } : {}),
};
// For experiments only: the figures in docs/reliability.md use the rates of LOAD.
if (flag('--push-rate')) LOAD.pushRate = Number(flag('--push-rate'));
if (flag('--read-rate')) LOAD.readRate = Number(flag('--read-rate'));
const databases = (flag('--db') ?? 'sqlite,pg').split(',');
const basePort = Number(flag('--port') ?? process.env.RELIABILITY_PORT ?? 7207);
const pgConnection = process.env.RELIABILITY_PG_CONNECTION;
const OUT = path.resolve(
  process.env.RELIABILITY_OUT ?? path.join(ROOT, 'test-results/reliability'),
);

const t0 = Date.now();
const log = message =>
  console.error(
    `[load ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`,
  );

// ---- cleanup: every child process group, temp dir and database, whatever ends the run ----
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
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
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
  for (const backend of started) backend.kill();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function backendConfig({ port, dir, db, prefix, catalogFile }) {
  const database =
    db === 'sqlite'
      ? {
          client: 'better-sqlite3',
          connection: { directory: path.join(dir, 'db') },
        }
      : { client: 'pg', connection: pgConnection, prefix };
  return {
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
      database,
    },
    // Replaces the demo's locations: only the generated catalog.
    catalog: { locations: [{ type: 'file', target: catalogFile }] },
    devopsMaturity: {
      demo: { seed: false },
      // The hourly recomputation of every ranking row, every 5 s here: under load, as it will
      // be some hour in production, and often enough to see two replicas take turns.
      scorecards: {
        schedule: {
          frequency: { seconds: 5 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 3 },
        },
      },
    },
  };
}

/** One database: a backend, its idle baseline and load; on PostgreSQL then two replicas. */
async function runDatabase(r, setup) {
  const { db, label } = r;
  const runId = `l${Date.now().toString(36)}${process.pid.toString(36)}`;
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `devops-maturity-load-${db}-`),
  );
  tempDirs.add(dir);
  const prefix = db === 'pg' ? `${runId}_` : undefined;
  if (prefix) pgPrefixes.add(prefix);
  const catalogFile = path.join(dir, 'catalog.yaml');
  const catalog = writeGeneratedCatalog(catalogFile, LOAD.catalog);
  r.target =
    db === 'sqlite'
      ? { kind: 'sqlite', file: path.join(dir, 'db', 'devops-maturity.sqlite') }
      : { kind: 'pg', url: pgUrl(pgConnection, `${prefix}devops-maturity`) };

  let starts = 0;
  const start = async name => {
    starts++;
    const port = await freePort(basePort + starts * 3);
    const configPath = path.join(dir, `app-config.${starts}.yaml`);
    fs.writeFileSync(
      configPath,
      YAML.stringify(backendConfig({ port, dir, db, prefix, catalogFile })),
    );
    const backend = Backend.start({
      name: `${label} ${name}`,
      configPath,
      logPath: path.join(dir, `${name}.log`),
      port,
    });
    r.logs.push(backend.logPath);
    const readyMs = await backend.waitReady(240_000);
    const catalogMs = await waitForCatalog({
      port,
      token: setup.token,
      runId: `${runId}-${starts}`,
      components: catalog.components,
      timeoutMs: 180_000,
    });
    log(
      `${label}: ${name} on port ${port} ready in ${(readyMs / 1000).toFixed(
        1,
      )} s, catalog known ${(catalogMs / 1000).toFixed(1)} s later`,
    );
    return backend;
  };
  const plan = phaseName =>
    new DeploymentPlan({
      runId: `${runId}-${phaseName}`,
      seed: LOAD.seed,
      components: catalog.components.map(c => c.name),
      events: Math.round(
        (profile.seconds + profile.idleSeconds) * LOAD.pushRate * LOAD.batch,
      ),
      batchSize: LOAD.batch,
      now: Date.now() - 60_000,
      source: `load-probe-${phaseName}`,
    });

  const a = await start('replica-a');
  r.single = await runLoad({
    backends: [a],
    plan: plan('single'),
    setup,
    catalog,
    profile,
    load: LOAD,
    target: r.target,
    log: m => log(`${label}, one backend: ${m}`),
  });
  if (db !== 'pg') return;

  const b = await start('replica-b');
  r.replicas = await runLoad({
    backends: [a, b],
    plan: plan('replicas'),
    setup,
    catalog,
    profile,
    load: LOAD,
    target: r.target,
    log: m => log(`${label}, two replicas: ${m}`),
    rankedBefore: r.single.expectedProduction,
  });
  r.replicas.compare = await compareReplicas({
    backends: [a, b],
    token: setup.token,
    catalog,
    log: m => log(`${label}, two replicas: ${m}`),
  });
}

async function main() {
  const startedAt = new Date(t0).toISOString();
  const setup = demoSetup();
  log(
    `profile ${profileName}: ${profile.seconds} s of ${LOAD.pushRate} pushes/s (${LOAD.batch} deployments each) and ${LOAD.readRate} ranking reads/s, after ${profile.idleSeconds} s idle`,
  );
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
      await runDatabase(r, setup);
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
    probe: 'load',
    title: 'Load: pushes and ranking reads together, one and two replicas',
    profile: profileName,
    startedAt,
    durationSeconds: Math.round((Date.now() - t0) / 100) / 10,
    ok,
    figures: results.flatMap(r => figuresOf(r, LOAD)),
    tables: tablesOf(results, LOAD),
    notes: notesOf(results, LOAD, profile),
  };
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'load.json');
  fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  log(
    `${ok ? 'holds' : 'FAILED'}: ${path.relative(ROOT, file)} written after ${
      output.durationSeconds
    } s`,
  );
  return ok;
}

/** A failed run's backend logs, kept beside load.json (the temp dir is removed). */
function keepLogs(r) {
  const dir = path.join(OUT, 'load-logs');
  fs.mkdirSync(dir, { recursive: true });
  for (const file of r.logs)
    if (fs.existsSync(file))
      fs.copyFileSync(file, path.join(dir, `${r.db}-${path.basename(file)}`));
  log(`${r.label}: backend logs kept in ${path.relative(ROOT, dir)}`);
}

main()
  .then(async ok => {
    await cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch(async error => {
    log(`FAILED: ${error.stack ?? error}`);
    await cleanup();
    process.exit(1);
  });
