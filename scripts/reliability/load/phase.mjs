// One load run against one or more backends on one database: the idle baseline, then the load,
// then what was stored and what the rankings count, against what was acknowledged.
import fs from 'node:fs';
import { liveProcessesOfGroup, waitFor } from '../lib/backend.mjs';
import { PUSH_PATH } from '../lib/catalog.mjs';
import { deploymentIds, openPluginDb } from '../lib/count.mjs';
import { openLoop, summarize } from '../lib/openLoop.mjs';

const RANKING_READS = [
  // What the ranking page asks first, and the team tab.
  '/api/devops-maturity/scorecards?days=30&limit=50&sort=overallTier&order=desc',
  '/api/devops-maturity/scorecards?days=30&limit=50&sort=overallTier&order=desc',
  '/api/devops-maturity/scorecards?days=30&limit=50&sort=overallTier&order=desc',
  '/api/devops-maturity/scorecards?days=90&limit=50&sort=name&order=asc',
  '/api/devops-maturity/scorecards/owners?days=30&limit=50',
];
const HEALTH = '/.backstage/health/v1/liveness';

/**
 * The requests of a run, spread over the backends in turn: pushes of the plan's batches from
 * `firstBatch`, ranking reads, health checks.
 */
function streams({ backends, plan, token, firstBatch }) {
  const auth = { authorization: `Bearer ${token}` };
  const on = i => backends[i % backends.length].port;
  return {
    push: i => ({
      port: on(i),
      method: 'POST',
      path: PUSH_PATH,
      body: plan.body(firstBatch + i),
      headers: auth,
    }),
    read: i => ({
      port: on(i),
      path: RANKING_READS[i % RANKING_READS.length],
      headers: auth,
    }),
    health: i => ({ port: on(i), path: HEALTH }),
  };
}

/** The largest resident set (MiB) among each backend's processes, sampled every second. */
function sampleMemory(backends) {
  const peak = backends.map(() => 0);
  const rss = pid => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(
        fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
      );
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const sample = () =>
    backends.forEach((b, i) => {
      for (const pid of liveProcessesOfGroup(b.pgid))
        peak[i] = Math.max(peak[i], rss(pid));
    });
  sample();
  const timer = setInterval(sample, 1000);
  return () => {
    clearInterval(timer);
    sample();
    return peak.map(Math.round);
  };
}

/**
 * The rankings job's runs a backend logged ("Recomputed the rankings of ... in N ms"), as
 * [start, end] in epoch ms, from the log line's time stamp.
 */
export function rankingRuns(logPath) {
  const text = fs.readFileSync(logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
  const runs = [];
  for (const m of text.matchAll(
    /^(\d{4}-\d\d-\d\dT[\d:.]+Z).*Recomputed the rankings of (\d+) entities and (\d+) groups in (\d+) ms/gm,
  )) {
    const end = Date.parse(m[1]);
    runs.push({ start: end - Number(m[4]), end, ms: Number(m[4]) });
  }
  return runs;
}

/** Runs the idle baseline and the load; audits the database and the rankings after. */
export async function runLoad({
  backends,
  plan,
  setup,
  profile,
  load,
  target,
  log,
  /** Production deployments already on the database from an earlier run (ranked too). */
  rankedBefore = 0,
}) {
  const out = { backends: backends.map(b => b.name) };
  // A first ranking read: the rows exist before anything is timed.
  const warm = streams({ backends, plan, token: setup.token, firstBatch: 0 });
  await openLoop({
    rate: 10,
    seconds: 0.2 * backends.length,
    request: warm.read,
  });

  log(
    `idle baseline: ${profile.idleSeconds} s at ${load.idleRate} requests/s each`,
  );
  const idleStreams = warm;
  const [idlePush, idleRead, idleHealth] = await Promise.all([
    openLoop({
      rate: load.idleRate,
      seconds: profile.idleSeconds,
      request: idleStreams.push,
    }),
    openLoop({
      rate: load.idleRate,
      seconds: profile.idleSeconds,
      request: idleStreams.read,
    }),
    openLoop({
      rate: load.idleRate,
      seconds: profile.idleSeconds,
      request: idleStreams.health,
    }),
  ]);
  out.idle = {
    push: summarize(idlePush),
    read: summarize(idleRead),
    health: summarize(idleHealth),
  };

  const firstBatch = idlePush.statuses.length;
  const busy = streams({ backends, plan, token: setup.token, firstBatch });
  log(
    `load: ${profile.seconds} s of ${load.pushRate} pushes/s and ${load.readRate} ranking reads/s`,
  );
  const memory = sampleMemory(backends);
  out.loadStartedAt = Date.now();
  const [push, read, health] = await Promise.all([
    openLoop({
      rate: load.pushRate,
      seconds: profile.seconds,
      request: busy.push,
    }),
    openLoop({
      rate: load.readRate,
      seconds: profile.seconds,
      request: busy.read,
    }),
    openLoop({
      rate: load.healthRate,
      seconds: profile.seconds,
      request: busy.health,
    }),
  ]);
  out.loadEndedAt = Date.now();
  out.peakRssMiB = memory();
  out.load = {
    push: summarize(push),
    read: summarize(read),
    health: summarize(health),
  };
  out.failures = [...push.failures, ...read.failures, ...health.failures].slice(
    0,
    10,
  );
  log(
    `load done: pushes p99 ${out.load.push.p99.toFixed(0)} ms, ${
      out.load.push.errors
    } errors; reads p99 ${out.load.read.p99.toFixed(0)} ms, ${
      out.load.read.errors
    } errors; health max ${out.load.health.max.toFixed(0)} ms`,
  );

  // What was acknowledged must be stored, and counted by the rankings of every backend. A
  // request that timed out may have been stored or not: the sender cannot tell, and resends.
  const sent = [
    ...idlePush.statuses.map((status, b) => ({ b, status })),
    ...push.statuses.map((status, i) => ({ b: firstBatch + i, status })),
  ];
  // Pushes the probe gave up on may still reach the backend's handlers after the load (their
  // bytes were sent): audited once the stored set stands still, that is when it and the
  // caught-up rankings agree twice in a row.
  let audit;
  for (let attempt = 1; attempt <= 30; attempt++) {
    const before = await rankingCounts(backends, setup.token);
    audit = await auditStored({ sent, plan, target });
    const after = await rankingCounts(backends, setup.token);
    audit.rankingCounts = after;
    const expectedNow = audit.expectedProduction + rankedBefore;
    if ([...before, ...after].every(n => n === expectedNow)) break;
    log(`audit ${attempt}: stragglers still arriving, again in a second`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  Object.assign(out, audit, {
    expectedProduction: audit.expectedProduction + rankedBefore,
  });
  // The dev server restarts the backend when a file it loaded changes (someone editing the
  // tree): a restart the probe did not make, which spoils the figures.
  out.devServerRestarts = backends.reduce(
    (n, b) =>
      n +
      (
        fs
          .readFileSync(b.logPath, 'utf8')
          .match(/Change detected, restarting the development server/g) ?? []
      ).length,
    0,
  );
  out.rankingRuns = backends.map(b =>
    rankingRuns(b.logPath).filter(
      run => run.end >= out.loadStartedAt && run.start <= out.loadEndedAt,
    ),
  );
  log(
    `${out.acknowledgedItems} deployments acknowledged, ${out.lost} missing, ${
      out.storedWithoutAck
    } stored though refused, ${
      out.storedAfterTimeout
    } stored though the answer timed out; ranked ${out.rankingCounts.join(
      ' / ',
    )} production deployments of ${out.expectedProduction}`,
  );
  return out;
}

/** Each backend's count of production deployments in its caught-up ranking. */
async function rankingCounts(backends, token) {
  const counts = [];
  for (const backend of backends)
    counts.push(await productionDeploymentsRanked(backend.port, token));
  return counts;
}

/** What the database holds of the sent batches, against what each answer said. */
async function auditStored({ sent, plan, target }) {
  const db = openPluginDb(target);
  let stored;
  try {
    stored = await deploymentIds(db, plan.source);
  } finally {
    await db.destroy();
  }
  const out = {
    acknowledgedItems: 0,
    lost: 0,
    storedWithoutAck: 0,
    storedAfterTimeout: 0,
    expectedProduction: 0,
  };
  for (const { b, status } of sent) {
    for (const item of JSON.parse(plan.body(b)).items) {
      const isStored = stored.has(item.id);
      if (status === 200) {
        out.acknowledgedItems++;
        if (!isStored) out.lost++;
      } else if (isStored && status === 0) out.storedAfterTimeout++;
      else if (isStored) out.storedWithoutAck++;
      // A `failure` is a pipeline that did not deploy: counted nowhere (docs/metrics.md).
      if (
        isStored &&
        item.environment === 'production' &&
        item.status === 'success'
      )
        out.expectedProduction++;
    }
  }
  return out;
}

/**
 * The production deployments the entity ranking counts over 90 days, summed over every row:
 * the load's deployments all finished within 30 days, so each counts once. The probe's plans
 * are the only source of production deployments on its database.
 */
async function productionDeploymentsRanked(port, token) {
  // A ranking answered `updating` has not caught up yet: asked again until it has.
  const body = await waitFor(
    'the ranking caught up with the load',
    async () => {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/devops-maturity/scorecards?days=90&limit=500`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      if (!res.ok) throw new Error(`ranking read: HTTP ${res.status}`);
      const page = await res.json();
      return page.updating ? undefined : page;
    },
    { timeoutMs: 300_000, intervalMs: 500 },
  );
  return body.items.reduce(
    (n, row) => n + row.changeFailureRate.deployments,
    0,
  );
}
