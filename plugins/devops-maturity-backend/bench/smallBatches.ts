// Many small pushes at once, as pipelines that report each deployment send them: batches of
// 10 deployments through validation, the ingest service and the store, on a SQLite file, by 1,
// 8 and 32 concurrent callers, with commits grouped (the default) and one commit per batch (the
// baseline), both in the same run, alternating. Run from plugins/devops-maturity-backend:
//   node ../../node_modules/sucrase/bin/sucrase-node bench/smallBatches.ts
// (BENCH_PUSHES=N for the pushes per measurement; `./scripts/bench.sh` runs it last.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
import { BUILT_IN_CHECKS } from '@devops-maturity/backstage-plugin-common';
import { openDatabaseStores } from '../src/database/openStores';
import { createServices } from '../src/service/createServices';
import { readSettings } from '../src/config';
import { deploymentItemSchema, parseBatch } from '../src/service/validation';
import { generateCatalog } from './generate';
import { quietLogger, timed } from './measure';

const PUSHES = Number(process.env.BENCH_PUSHES ?? 2000);
const NOW = Date.parse('2026-11-01T00:00:00Z');
const ENTITIES = 400;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'small-batches-'));

/** Pushes per second of `PUSHES` batches of 10, sent by `callers` at once. */
async function pushesPerSecond(groupCommits: boolean, callers: number) {
  const file = path.join(dir, `${groupCommits}-${callers}.sqlite`);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  const stores = await openDatabaseStores({
    database: { getClient: async () => knex },
    groupCommits,
  });
  const { entities, groups } = generateCatalog(ENTITIES);
  await stores.catalog.replaceCatalog(entities, groups);
  const { ingest } = createServices({
    stores,
    settings: readSettings(new ConfigReader({})),
    logger: quietLogger,
    checks: BUILT_IN_CHECKS,
    clock: () => NOW,
  });
  let sequence = 0;
  const push = () => {
    const items = Array.from({ length: 10 }, () => {
      const n = sequence++;
      const finished = NOW - (n % 10_000) * 60_000;
      return {
        source: 'bench',
        id: `d-${n}`,
        entityRef: `component:default/svc-${n % ENTITIES}`,
        environment: 'production',
        status: 'success',
        finishedAt: new Date(finished).toISOString(),
        commits: [1, 2].map(c => ({
          sha: `${n.toString(16).padStart(12, '0')}${c}`.padEnd(40, 'a'),
          committedAt: new Date(finished - 3_600_000 * c).toISOString(),
        })),
      };
    });
    const batch = parseBatch(
      deploymentItemSchema,
      { items },
      { earliest: 0, latest: NOW + 86_400_000 },
    );
    return ingest.ingestDeployments(batch);
  };
  for (let i = 0; i < 100; i++) await push(); // warm up
  let sent = 0;
  const [, ms] = await timed(() =>
    Promise.all(
      Array.from({ length: callers }, async () => {
        while (sent < PUSHES) {
          sent++;
          await push();
        }
      }),
    ),
  );
  const stored = await knex('dm_deployments').count({ n: '*' }).first();
  if (Number(stored?.n) !== (PUSHES + 100) * 10) {
    throw new Error(`stored ${stored?.n}, expected ${(PUSHES + 100) * 10}`);
  }
  await stores.close();
  await knex.destroy();
  return (PUSHES / ms) * 1000;
}

async function main() {
  console.log(
    `## Small pushes on SQLite: ${PUSHES} batches of 10 deployments, ${ENTITIES} services`,
  );
  for (const callers of [1, 8, 32]) {
    // alternating, so that a drift of the machine's speed falls on both
    const baseline = await pushesPerSecond(false, callers);
    const grouped = await pushesPerSecond(true, callers);
    console.log(
      `${callers} callers: ${grouped.toFixed(
        0,
      )} pushes/s with grouped commits, ` +
        `${baseline.toFixed(0)} with a commit per batch: ${(
          grouped / baseline
        ).toFixed(2)}x`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
