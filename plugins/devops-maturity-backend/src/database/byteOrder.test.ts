import { Knex } from 'knex';
import {
  compareUtf8,
  computeDoraMetrics,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  deriveDoraFacts,
  DORA_2021,
  IncidentEvent,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { deployment, incident } from '../__testUtils__/events';
import { isSqlite } from './util';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const window: TimeWindow = {
  from: Date.parse('2026-06-01T00:00:00Z'),
  to: Date.parse('2026-07-01T00:00:00Z'),
};
// One instant, written with two offsets: a tie in finish time.
const T = '2026-06-10T12:00:00Z';
const T_IST = '2026-06-10T17:30:00+0530';

/**
 * Gives the order-deciding text columns the collation of a database created with an en_US
 * locale (PostgreSQL's usual default), where `a` sorts before `B` and `a_1` before `a-1`.
 * The test server's databases are C.UTF-8, which would hide a query that forgot to order by
 * bytes.
 */
async function localeCollated(knex: Knex) {
  if (isSqlite(knex)) return;
  for (const [table, columns] of [
    ['dm_deployments', ['source', 'external_id']],
    ['dm_entity_changes', ['first_source', 'first_external_id']],
  ] as const) {
    for (const column of columns) {
      await knex.raw(
        `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE varchar(255) COLLATE "en-US-x-icu"`,
      );
    }
  }
}

describe.each(databaseIds(databases))(
  'deployments finished in the same millisecond, on %p',
  databaseId => {
    async function scenario(
      deployments: DeploymentEvent[],
      incidents: IncidentEvent[],
    ) {
      const { knex, stores } = await createTestStore(databases, databaseId);
      await localeCollated(knex);
      const write = (d: DeploymentEvent[], i: IncidentEvent[] = []) =>
        stores.events.writeBatch(
          { deployments: d, incidents: i, unmatched: [] },
          DEFAULT_DORA_OPTIONS,
        );
      const entityRef = deployments[0].entityRef!;
      const figures = async () => {
        const facts = (await stores.facts.readFacts([entityRef], window)).get(
          entityRef,
        )!;
        const listed = await stores.events.listDeployments(entityRef, {
          limit: 10,
          offset: 0,
        });
        return {
          metrics: computeDoraMetrics(facts, window, DORA_2021),
          listed: listed.items.map(d => ({
            id: d.id,
            source: d.source,
            failed: d.failed,
            causedIncidents: d.causedIncidents.map(i => i.id),
          })),
        };
      };
      const reference = computeDoraMetrics(
        deriveDoraFacts(deployments, incidents, window, DEFAULT_DORA_OPTIONS),
        window,
        DORA_2021,
      );
      return { write, figures, reference };
    }

    it('picks the first and the latest by id in byte order, as the JS recomputation', async () => {
      // Bytes: B (42) before a (61); en_US: a before B.
      const deployments = [
        deployment('a', T, {
          kind: 'hotfix',
          commits: [{ sha: 's', committedAt: '2026-06-10T10:00:00Z' }],
        }),
        deployment('B', T_IST, {
          commits: [{ sha: 's', committedAt: '2026-06-10T11:00:00Z' }],
        }),
      ];
      const incidents = [incident('i1', '2026-06-10T13:00:00Z')];
      const { write, figures, reference } = await scenario(
        deployments,
        incidents,
      );
      await write(deployments, incidents);
      const { metrics, listed } = await figures();
      expect(metrics).toEqual(reference);
      // The sha counts at its first deployment, B, with the commit time B reported.
      expect(metrics.leadTime.medianSeconds).toBe(3600);
      // The incident makes the latest deployment before it failed: a. Newest first: a, B.
      expect(listed).toEqual([
        { id: 'a', source: 'api', failed: true, causedIncidents: ['i1'] },
        { id: 'B', source: 'api', failed: false, causedIncidents: [] },
      ]);

      // The same once the first deployment's commits change and the change is recomputed.
      const resent = [
        {
          ...deployments[1],
          commits: [
            ...deployments[1].commits,
            { sha: 't', committedAt: '2026-06-10T11:30:00Z' },
          ],
        },
      ];
      await write(resent);
      const again = await figures();
      expect(again.metrics.leadTime.medianSeconds).toBe((3600 + 1800) / 2);
      expect(again.listed).toEqual(listed);
    });

    it('orders ids with punctuation and beyond U+FFFF by bytes too', async () => {
      // Bytes: a-1 before a_1 (en_US: a_1 first); U+FF5E before the emoji (UTF-16: the emoji).
      const ids = ['a_1', '\u{1F600}', 'a-1', '\uFF5E'];
      const deployments = ids.map((id, n) =>
        deployment(id, n % 2 ? T : T_IST, {
          commits: [{ sha: 's', committedAt: `2026-06-10T0${n + 1}:00:00Z` }],
        }),
      );
      const incidents = [incident('i1', '2026-06-10T13:00:00Z')];
      const { write, figures, reference } = await scenario(
        deployments,
        incidents,
      );
      // Sent one by one: each arrival must take the sha from a later one, or not.
      for (const d of [...deployments].reverse()) await write([d]);
      await write([], incidents);
      const { metrics, listed } = await figures();
      expect(metrics).toEqual(reference);
      expect(listed.map(d => d.id)).toEqual(
        [...ids].sort(compareUtf8).reverse(),
      );
      expect(listed.map(d => d.id)).toEqual([
        '\u{1F600}',
        '\uFF5E',
        'a_1',
        'a-1',
      ]);
      // First: a-1, committed at 03:00, deployed at 12:00.
      expect(metrics.leadTime.medianSeconds).toBe(9 * 3600);
      // Latest before the incident: the emoji.
      expect(listed[0].causedIncidents).toEqual(['i1']);
    });

    it('prefers, of same-id deployments from other sources, the earliest source by bytes', async () => {
      const deployments = [
        deployment('x', T, { source: '\u{1F600}' }),
        deployment('x', T_IST, { source: '\uFF5E' }),
      ];
      const incidents = [
        incident('i1', '2026-06-20T00:00:00Z', {
          source: 'pagerduty',
          deploymentId: 'x',
        }),
      ];
      const { write, figures, reference } = await scenario(
        deployments,
        incidents,
      );
      await write(deployments, incidents);
      const { metrics, listed } = await figures();
      expect(metrics).toEqual(reference);
      expect(
        listed.filter(d => d.causedIncidents.length).map(d => d.source),
      ).toEqual(['\uFF5E']);
    });
  },
);
