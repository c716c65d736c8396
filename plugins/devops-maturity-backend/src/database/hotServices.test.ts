import { Knex } from 'knex';
import {
  DAY_MS,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { at, deployment, ENTITY, incident, T0 } from '../__testUtils__/events';
import { DoraStores } from './openStores';
import { readFacts } from './readFacts';

/**
 * What keeps a busy service (tens of thousands of deployments) fast: the plans of the read
 * queries, and what a resent batch reads. On SQLite without planner statistics (no ANALYZE
 * runs) the plan does not depend on how many rows there are, so these small tables show the
 * plans a busy service gets.
 */
const databases = createTestDatabases();
const window = { from: T0, to: T0 + 30 * DAY_MS };

function history(): DeploymentEvent[] {
  const deployments: DeploymentEvent[] = [];
  for (let n = 0; n < 40; n++) {
    deployments.push(
      deployment(`d${n}`, at(n), {
        commits: [{ sha: `c${n}`, committedAt: at(n - 1) }],
        ...(n % 10 === 9 ? { kind: 'rollback', fixes: `d${n - 1}` } : {}),
      }),
    );
  }
  return deployments;
}

async function storeWithHistory() {
  const { knex, stores } = await createTestStore(databases, 'SQLITE_3');
  await stores.events.writeBatch(
    {
      deployments: history(),
      incidents: [incident('i1', at(3.5), { deploymentId: 'd3' })],
      unmatched: [],
    },
    DEFAULT_DORA_OPTIONS,
  );
  return { knex, stores };
}

/** The SELECTs `fn` sends through knex. */
async function selectsOf(knex: Knex, fn: () => Promise<unknown>) {
  const queries: Array<{ sql: string; bindings: unknown[] }> = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*select/i.test(q.sql))
      queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.off('query', listener);
  }
  return queries;
}

async function plan(knex: Knex, q: { sql: string; bindings: unknown[] }) {
  const rows = await knex.raw(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings as any);
  return (rows as Array<{ detail: string }>).map(r => r.detail);
}

const TABLES = 'dm_deployments|dm_entity_changes|dm_incidents|d|i|f';

describe('a busy service on SQLite', () => {
  let knex: Knex;
  let stores: DoraStores;
  beforeAll(async () => {
    ({ knex, stores } = await storeWithHistory());
  });

  it.each([
    ['the DORA facts', () => stores.facts.readFacts([ENTITY], window)],
    [
      'a page of deployments',
      () =>
        stores.events.listDeployments(ENTITY, { limit: 50, offset: 0, window }),
    ],
  ])('reads %s by index, scanning no table', async (_, read) => {
    const queries = await selectsOf(knex, read);
    expect(queries.length).toBeGreaterThan(2);
    for (const q of queries) {
      const details = await plan(knex, q);
      const scans = details.filter(d =>
        new RegExp(`^SCAN (${TABLES})\\b`).test(d),
      );
      expect({ sql: q.sql, scans }).toEqual({ sql: q.sql, scans: [] });
    }
  });

  it('finds the fixes of deployments by the index that holds only fixes, with no subquery per deployment', async () => {
    const queries = await selectsOf(knex, () =>
      stores.facts.readFacts([ENTITY], window),
    );
    const plans = await Promise.all(queries.map(q => plan(knex, q)));
    const fixes = plans.filter(p =>
      p.some(d => d.includes('dm_deployments_entity_fixes_idx')),
    );
    expect(fixes).toHaveLength(1);
    // The deployments are read once per query, never probed per deployment (that made a
    // page of a busy service take 54 s).
    for (const p of plans) {
      const reads = p.filter(d =>
        /^(SEARCH|SCAN) (dm_deployments|d|f)\b/.test(d),
      );
      expect(reads.length).toBeLessThanOrEqual(1);
    }
    const facts = (await stores.facts.readFacts([ENTITY], window)).get(ENTITY)!;
    // d3 caused an incident; d8, d18, d28 and d38 were rolled back
    expect(
      facts.deployments
        .filter(d => d.failed)
        .map(d => (d.finishedAt - T0) / 3_600_000)
        .sort((a, b) => a - b),
    ).toEqual([3, 8, 18, 28, 38]);
    // The list marks the same deployments, by incident and by fix.
    const page = await stores.events.listDeployments(ENTITY, {
      limit: 50,
      offset: 0,
      window,
    });
    expect(
      page.items
        .filter(d => d.failed)
        .map(d => d.id)
        .sort(),
    ).toEqual(['d18', 'd28', 'd3', 'd38', 'd8']);
  });

  it.each([
    ['in one query', 10_000],
    ['in pages', 3],
  ])(
    "reads a window's changes %s by the primary key, in its order",
    async (_, pageRows) => {
      const queries = await selectsOf(knex, () =>
        readFacts(knex, [ENTITY], window, pageRows),
      );
      const changes = queries.filter(q => /dm_entity_changes/.test(q.sql));
      expect(changes.length).toBeGreaterThan(pageRows === 3 ? 2 : 0);
      for (const q of changes) {
        // The table is clustered by (entity, sha): one range of the entity's changes, each
        // page starting with a seek after the last sha of the one before. No temporary
        // b-tree: a page is read in the key's order and stops at its limit.
        expect(await plan(knex, q)).toEqual([
          expect.stringMatching(
            /^SEARCH dm_entity_changes USING PRIMARY KEY \(entity_ref=\?( AND sha>\?)?\)$/,
          ),
        ]);
      }
    },
  );

  it('reads no deployment again for a resent batch that changes nothing', async () => {
    const queries = await selectsOf(knex, () =>
      stores.events.writeBatch(
        { deployments: history(), incidents: [], unmatched: [] },
        DEFAULT_DORA_OPTIONS,
      ),
    );
    // Before, every resend read every counted deployment of its entities to recompute
    // changes: a busy service's retried batch cost 30 times a new one.
    expect(
      queries.filter(q =>
        /from [`"]dm_(deployments|incidents)[`"]/i.test(q.sql),
      ),
    ).toEqual([]);
  });
});
