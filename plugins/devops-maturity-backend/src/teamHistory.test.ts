import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { Knex } from 'knex';
import {
  DAY_MS,
  devopsMaturityReadPermission,
  utcWeekStart,
} from '@devops-maturity/backstage-plugin-common';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const admin = mockCredentials.user.header('user:default/admin');
const restricted = mockCredentials.user.header('user:default/restricted');
const api = (path: string) => `/api/devops-maturity/${path}`;
const ref = (name: string) => `component:default/${name}`;

// platform has the sub-team payments; `hidden` (payments') and `vault-svc` (vault's only
// service) are hidden from the restricted reader by the scorecard read permission.
const entities = [
  group('platform'),
  group('payments', 'platform'),
  group('other'),
  group('vault'),
  component('p1', 'platform'),
  component('c1', 'payments'),
  component('c2', 'payments'),
  component('hidden', 'payments'),
  component('o1', 'other'),
  component('vault-svc', 'vault'),
];
const HIDDEN = new Set([ref('hidden'), ref('vault-svc')]);

const decideAll = async (requests: any[], options: any) =>
  requests.map(r => ({
    result:
      r.permission.name === devopsMaturityReadPermission.name &&
      r.resourceRef &&
      HIDDEN.has(r.resourceRef) &&
      options.credentials.principal.userEntityRef === 'user:default/restricted'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })) as any;
const permissions = mockServices.permissions.mock({
  authorize: decideAll,
  authorizeConditional: decideAll,
});

const LEVELS = ['0', '1', '2', '3', '4', '5'];
const mixOf = (counts: Record<string, number>) =>
  Object.fromEntries(LEVELS.map(l => [l, counts[l] ?? 0]));

describe.each(databaseIds(databases))('team history on %p', databaseId => {
  let server: any;
  let knex: Knex;
  // Two whole weeks before the current one: W (Monday) and the week before it.
  const W = utcWeekStart(Date.now()) - 14 * DAY_MS;
  const PREV = W - 7 * DAY_MS;
  const at = (base: number, days: number, hours = 0) =>
    new Date(base + days * DAY_MS + hours * 3_600_000).toISOString();
  const get = (auth: string, path: string) =>
    request(server).get(api(path)).set('authorization', auth);
  const push = async (kind: 'deployments' | 'incidents', items: object[]) => {
    const res = await request(server)
      .post(api(kind))
      .set('authorization', mockCredentials.service.header())
      .send({ items });
    if (res.status !== 200)
      throw new Error(`push answered ${res.status}: ${res.text}`);
  };
  const weekOf = (body: any, start: number) =>
    body.weeks.find((w: any) => w.start === new Date(start).toISOString());

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    server = await startPluginBackend({
      knex,
      entities,
      features: [permissions.factory],
    });
    // The rankings computed at start-up record today's rows: wait for them, so that they do
    // not land in the middle of the test.
    for (let i = 0; i < 100; i++) {
      const n = await knex('dm_check_history').count({ n: '*' }).first();
      if (Number(n?.n) >= entities.length - 4) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const day = (base: number, days: number) => base + days * DAY_MS;
    const rows = [
      // week W: p1 rises from 1 (Monday) to 3 (Thursday): the last day counts
      ['p1', day(W, 0), 1],
      ['p1', day(W, 3), 3],
      ['c1', day(W, 6), 2], // Sunday: still week W
      ['hidden', day(W, 1), 4],
      ['o1', day(W, 2), 5], // another team's: never counted
      // the week before: c2 alone, at 1
      ['c2', day(PREV, 2), 1],
    ] as const;
    await knex('dm_check_history').insert(
      rows.map(([name, d, level]) => ({
        entity_ref: ref(name),
        day: d,
        level,
        results: '[]',
      })),
    );
    // Week W: p1 and c1 deploy fast; hidden deploys a change ten days old, which an incident
    // links to, restored in two days. Without hidden: no failure, no restore.
    await push(
      'deployments',
      [
        ['p1', W, 1, 0.5],
        ['c1', W, 2, 2],
        ['hidden', W, 3, 240],
        ['c2', PREV, 2, 30],
        ['o1', W, 2, 1],
      ].map(([name, base, days, leadHours]) => ({
        id: `d-${name}`,
        entityRef: ref(name as string),
        environment: 'production',
        status: 'success',
        finishedAt: at(base as number, days as number, 10),
        commits: [
          {
            sha: `sha-${name}`,
            committedAt: at(
              base as number,
              days as number,
              10 - (leadHours as number),
            ),
          },
        ],
      })),
    );
    await push('incidents', [
      {
        id: 'i-hidden',
        entityRef: ref('hidden'),
        openedAt: at(W, 3, 11),
        resolvedAt: at(W, 5, 11),
        deploymentId: 'd-hidden',
      },
    ]);
  });

  it("answers the team's and its sub-teams' level mix per week, at each service's last recorded day", async () => {
    const res = await get(admin, 'owners/group/default/platform/history');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ownerRef: 'group:default/platform',
      days: 90,
      profile: 'dora-2021',
      includeChildren: true,
      entityRefs: [ref('c1'), ref('c2'), ref('hidden'), ref('p1')],
    });
    // 90 days ending now, in whole Monday weeks: the window starts on the first Monday on or
    // after 90 days ago, and only the current week is partial.
    const from = Date.parse(res.body.window.from);
    expect(utcWeekStart(from)).toBe(from);
    expect(from).toBeGreaterThanOrEqual(
      Date.parse(res.body.window.to) - 90 * DAY_MS,
    );
    expect(from).toBeLessThan(Date.parse(res.body.window.to) - 83 * DAY_MS);
    expect(res.body.weeks[0].start).toBe(res.body.window.from);
    // The current week says it is partial; the whole weeks do not.
    expect(res.body.weeks.at(-1).partial).toBe(true);
    expect(
      res.body.weeks.slice(0, -1).filter((w: any) => 'partial' in w),
    ).toEqual([]);
    expect(res.body.weeks.length).toBeGreaterThanOrEqual(12);
    for (const w of res.body.weeks) {
      expect(new Date(w.start).getUTCDay()).toBe(1);
      const total = Object.values(w.levels as Record<string, number>).reduce(
        (a, b) => a + b,
        w.unrecorded,
      );
      expect(total).toBe(4);
    }
    expect(weekOf(res.body, W)).toMatchObject({
      levels: mixOf({ '2': 1, '3': 1, '4': 1 }),
      unrecorded: 1,
    });
    expect(weekOf(res.body, PREV)).toMatchObject({
      levels: mixOf({ '1': 1 }),
      unrecorded: 3,
    });
    // A week with no record: every service unrecorded, none at level 0.
    expect(weekOf(res.body, PREV - 7 * DAY_MS)).toMatchObject({
      levels: mixOf({}),
      unrecorded: 4,
    });

    // Without the sub-teams: p1 alone.
    const own = await get(
      admin,
      'owners/group/default/platform/history?includeChildren=false',
    );
    expect(own.body.entityRefs).toEqual([ref('p1')]);
    expect(weekOf(own.body, W).levels).toEqual(mixOf({ '3': 1 }));
  });

  it('answers each week the DORA tiers of the pooled events, as the owner figures of that week', async () => {
    const res = await get(admin, 'owners/group/default/platform/history');
    const week = weekOf(res.body, W);
    // Three deploys, one failed (33%: low); lead times 0.5 h, 2 h, 10 d: median 2 h (high);
    // restored in two days (medium).
    expect(week.dora).toMatchObject({
      leadTime: 'high',
      changeFailureRate: 'low',
      timeToRestore: 'medium',
    });
    // Every whole week (all but the current) equals the owner's figures over that week alone.
    for (const w of res.body.weeks.slice(0, -1)) {
      const from = w.start;
      const to = new Date(Date.parse(from) + 7 * DAY_MS).toISOString();
      const owner = await get(
        admin,
        `owners/group/default/platform/dora?from=${from}&to=${to}`,
      );
      expect(owner.status).toBe(200);
      expect({ start: from, ...w.dora }).toEqual({
        start: from,
        overallTier: owner.body.overallTier,
        deploymentFrequency: owner.body.deploymentFrequency.tier,
        leadTime: owner.body.leadTime.tier,
        changeFailureRate: owner.body.changeFailureRate.tier,
        timeToRestore: owner.body.timeToRestore.tier,
      });
    }
    expect(weekOf(res.body, PREV).dora.deploymentFrequency).not.toBeNull();
  });

  it('neither counts nor pools a service hidden from the reader', async () => {
    const res = await get(restricted, 'owners/group/default/platform/history');
    expect(res.status).toBe(200);
    expect(res.body.entityRefs).toEqual([ref('c1'), ref('c2'), ref('p1')]);
    const week = weekOf(res.body, W);
    expect(week.levels).toEqual(mixOf({ '2': 1, '3': 1 }));
    expect(week.unrecorded).toBe(1);
    // Without hidden's failed deploy and its incident.
    expect(week.dora).toMatchObject({
      changeFailureRate: 'elite',
      timeToRestore: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('hidden');

    // A team with nothing the reader may see is as absent as one that does not exist.
    const vault = await get(restricted, 'owners/group/default/vault/history');
    expect(vault.status).toBe(404);
    const nope = await get(restricted, 'owners/group/default/nope/history');
    expect(vault.body.error.message).toBe(
      nope.body.error.message.replace('nope', 'vault'),
    );
    expect(
      (await get(admin, 'owners/group/default/vault/history')).status,
    ).toBe(200);
  });

  it('takes 90, 180 or 365 days and nothing else; 404 for an unknown team', async () => {
    const year = await get(
      admin,
      'owners/group/default/platform/history?days=365',
    );
    expect(year.status).toBe(200);
    expect(year.body.weeks.length).toBeGreaterThanOrEqual(52);
    expect(weekOf(year.body, W).levels).toEqual(
      mixOf({ '2': 1, '3': 1, '4': 1 }),
    );

    const month = await get(
      admin,
      'owners/group/default/platform/history?days=30',
    );
    expect(month.status).toBe(400);
    expect(month.body.error.message).toBe(
      'Invalid query: days: must be 90, 180 or 365',
    );
    const unknown = await get(
      admin,
      'owners/group/default/platform/history?dayz=90',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/dayz/);
    const profile = await get(
      admin,
      'owners/group/default/platform/history?profile=nope',
    );
    expect(profile.status).toBe(400);
    expect((await get(admin, 'owners/group/default/nope/history')).status).toBe(
      404,
    );
  });
});
