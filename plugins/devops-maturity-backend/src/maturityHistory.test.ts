import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { Knex } from 'knex';
import { DAY_MS, utcDayStart } from '@devops-maturity/backstage-plugin-common';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const reader = mockCredentials.user.header('user:default/reader');
const api = (path: string) => `/api/devops-maturity/${path}`;
const A1 = 'component:default/a1';
const entities = [
  group('team-a'),
  // CI and TechDocs, no description: `ci` passes and `description` fails today.
  component('a1', 'team-a', {
    annotations: {
      'github.com/project-slug': 'acme/a1',
      'backstage.io/techdocs-ref': 'dir:.',
    },
  }),
];

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe.each(databaseIds(databases))('maturity history on %p', databaseId => {
  let server: any;
  let knex: Knex;
  const today = utcDayStart(Date.now());
  const daysAgo = (n: number) => today - n * DAY_MS;
  const get = (path: string) =>
    request(server).get(api(path)).set('authorization', reader);

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    server = await startPluginBackend({ knex, entities });
    // The rankings computed at start-up record today's row.
    for (let i = 0; i < 100; i++) {
      if (await knex('dm_check_history').where('entity_ref', A1).first()) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  });

  it("stores the CALMS score with the level: the ranking row's", async () => {
    const res = await get('entities/component/default/a1/maturity/history');
    expect(res.status).toBe(200);
    const ranking = await get('scorecards');
    const row = ranking.body.items.find((r: any) => r.entityRef === A1);
    expect(typeof row.maturity.calms).toBe('number');
    expect(res.body).toEqual({
      entityRef: A1,
      window: { days: 90 },
      points: [
        {
          day: iso(today),
          level: row.maturity.level,
          calms: row.maturity.calms,
        },
      ],
      changes: [],
    });
  });

  it('answers the days of the window oldest first, and the days checks started or stopped passing', async () => {
    const todayRow = await knex('dm_check_history')
      .where({ entity_ref: A1, day: today })
      .first();
    const results: Array<{ id: string; status: string }> = JSON.parse(
      todayRow.results,
    );
    expect(results.find(r => r.id === 'ci')?.status).toBe('pass');
    expect(results.find(r => r.id === 'description')?.status).toBe('fail');
    const withStatus = (ci: string, description: string) =>
      JSON.stringify(
        results.map(r => {
          if (r.id === 'ci') return { ...r, status: ci };
          if (r.id === 'description') return { ...r, status: description };
          return r;
        }),
      );
    const row = (
      ago: number,
      level: number,
      calms: number | null,
      ci: string,
      description: string,
    ) => ({
      entity_ref: A1,
      day: daysAgo(ago),
      level,
      calms_score: calms,
      results: withStatus(ci, description),
    });
    // Out of order, as nothing promises the table's; one recorded before CALMS was kept.
    await knex('dm_check_history').insert([
      row(60, 3, 55, 'pass', 'pass'),
      row(120, 1, null, 'fail', 'fail'),
      row(5, 2, 50, 'fail', 'pass'),
      row(95, 2, 40, 'pass', 'fail'),
    ]);
    // Another service's rows are not this one's.
    await knex('dm_check_history').insert({
      ...row(30, 5, 99, 'pass', 'pass'),
      entity_ref: 'component:default/other',
    });
    const todayPoint = {
      day: iso(today),
      level: todayRow.level,
      calms: todayRow.calms_score,
    };

    const days90 = await get('entities/component/default/a1/maturity/history');
    expect(days90.status).toBe(200);
    expect(days90.body.window).toEqual({ days: 90 });
    expect(days90.body.points).toEqual([
      { day: iso(daysAgo(60)), level: 3, calms: 55 },
      { day: iso(daysAgo(5)), level: 2, calms: 50 },
      todayPoint,
    ]);
    // The day 60 days ago is measured against the last day before the window (95 days ago).
    const ninetyChanges = [
      {
        day: iso(daysAgo(60)),
        checkId: 'description',
        title: 'Description',
        from: 'fail',
        to: 'pass',
      },
      {
        day: iso(daysAgo(5)),
        checkId: 'ci',
        title: 'CI linked',
        from: 'pass',
        to: 'fail',
      },
      {
        day: iso(today),
        checkId: 'description',
        title: 'Description',
        from: 'pass',
        to: 'fail',
      },
      {
        day: iso(today),
        checkId: 'ci',
        title: 'CI linked',
        from: 'fail',
        to: 'pass',
      },
    ];
    const byDayAndCheck = (a: any, b: any) =>
      a.day.localeCompare(b.day) || a.checkId.localeCompare(b.checkId);
    expect(days90.body.changes.slice().sort(byDayAndCheck)).toEqual(
      ninetyChanges.slice().sort(byDayAndCheck),
    );
    expect(days90.body.changes.map((c: any) => c.day)).toEqual(
      ninetyChanges.map(c => c.day),
    );

    for (const days of [180, 365]) {
      const res = await get(
        `entities/component/default/a1/maturity/history?days=${days}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.window).toEqual({ days });
      expect(res.body.points).toEqual([
        { day: iso(daysAgo(120)), level: 1, calms: null },
        { day: iso(daysAgo(95)), level: 2, calms: 40 },
        { day: iso(daysAgo(60)), level: 3, calms: 55 },
        { day: iso(daysAgo(5)), level: 2, calms: 50 },
        todayPoint,
      ]);
      // The first recorded day is the baseline; 95 days ago CI started passing.
      expect(res.body.changes[0]).toEqual({
        day: iso(daysAgo(95)),
        checkId: 'ci',
        title: 'CI linked',
        from: 'fail',
        to: 'pass',
      });
      expect(res.body.changes).toHaveLength(5);
    }
  });

  it('takes 90, 180 or 365 days only, and no other parameter', async () => {
    for (const query of ['days=30', 'days=abc', 'days=90&days=180']) {
      const res = await get(
        `entities/component/default/a1/maturity/history?${query}`,
      );
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain('days');
    }
    const unknown = await get(
      'entities/component/default/a1/maturity/history?profile=dora-2023',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('profile');
  });

  it('answers 404 for an entity it does not know', async () => {
    const res = await get('entities/component/default/nope/maturity/history');
    expect(res.status).toBe(404);
  });
});
