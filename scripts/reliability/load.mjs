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
import { Backend, ROOT, freePort } from './lib/backend.mjs';
import {
  demoSetup,
  waitForCatalog,
  writeGeneratedCatalog,
} from './lib/catalog.mjs';
import { pgUrl } from './lib/count.mjs';
import { startProbe } from './lib/probeRun.mjs';
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
const { log, tempDirs, pgPrefixes, run } = startProbe({
  id: 'load',
  pgConnection,
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

const setup = demoSetup();
log(
  `profile ${profileName}: ${profile.seconds} s of ${LOAD.pushRate} pushes/s (${LOAD.batch} deployments each) and ${LOAD.readRate} ranking reads/s, after ${profile.idleSeconds} s idle`,
);
run({
  title: 'Load: pushes and ranking reads together, one and two replicas',
  profile: profileName,
  databases,
  runDatabase: r => runDatabase(r, setup),
  holds,
  report: results => ({
    figures: results.flatMap(r => figuresOf(r, LOAD)),
    tables: tablesOf(results, LOAD),
    notes: notesOf(results, LOAD, profile),
  }),
});
