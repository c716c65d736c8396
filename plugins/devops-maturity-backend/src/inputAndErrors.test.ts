import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

// Built, as a linter refuses script URLs in source: what a malicious pusher sends.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

jest.setTimeout(60_000);

const databases = createTestDatabases();
const service = mockCredentials.service.header();
const user = mockCredentials.user.header();
const LONG = (n: number, c = 'x') => c.repeat(n);
const refOf = (n: number) =>
  `component:default/${LONG(n - 'component:default/'.length)}`;

/** What the catalog does not bound: titles, types, lifecycles, annotation values. */
const entities = [
  group('team-a'),
  {
    ...group('team-long'),
    metadata: { name: 'team-long', namespace: 'default', title: LONG(300) },
  },
  component('a1', 'team-a'),
  (() => {
    const e = component('long', 'team-long', {
      annotations: { 'github.com/project-slug': `acme/${LONG(400)}` },
    });
    e.metadata.title = `Long ${LONG(400)}`;
    e.spec = { ...e.spec, type: LONG(300, 't'), lifecycle: LONG(300, 'l') };
    return e;
  })(),
];

/** A plugin logger that keeps what it logs, to find an error's id in it. */
function spyLogger() {
  const errors: Array<{ message: string; meta?: unknown }> = [];
  const logger: LoggerService = {
    error: (message, meta) => {
      errors.push({ message, meta });
    },
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return { errors, logger };
}

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString();
const deployment = (extra: object) => ({
  id: 'd1',
  entityRef: 'component:default/a1',
  environment: 'production',
  status: 'success',
  finishedAt: day(-1),
  ...extra,
});
const incident = (extra: object) => ({
  id: 'i1',
  entityRef: 'component:default/a1',
  openedAt: day(-1),
  ...extra,
});

/** The read routes that take a benchmark profile (and a window). */
const ROUTES_WITH_A_PROFILE = [
  'entities/component/default/a1/dora',
  'entities/component/default/a1/dora/trend',
  'entities/component/default/a1/maturity',
  'owners/group/default/team-a/dora',
  'scorecards',
  'scorecards/owners',
  'golden-path',
  'golden-path/failing?check=runbook',
  'owners/group/default/team-a/history',
];

/** The path with one more query parameter, whether or not it has some already. */
const withParam = (path: string, param: string) =>
  `${path}${path.includes('?') ? '&' : '?'}${param}`;

describe.each(databaseIds(databases))('input and errors on %p', databaseId => {
  let server: any;
  let knex: Knex;
  const log = spyLogger();
  beforeAll(async () => {
    knex = await databases.init(databaseId);
    server = await startPluginBackend({
      knex,
      entities,
      features: [
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => log.logger,
        }),
      ],
    });
  });

  const push = (path: string, items: object[]) =>
    request(server)
      .post(`/api/devops-maturity/${path}`)
      .set('authorization', service)
      .send({ items });
  const get = (path: string) =>
    request(server)
      .get(`/api/devops-maturity/${path}`)
      .set('authorization', user);

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'answers 400 to ?profile=%s on every route that takes one',
    async profile => {
      for (const path of ROUTES_WITH_A_PROFILE) {
        const res = await get(withParam(path, `profile=${profile}`));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.error.message).toContain(
          `profile: unknown profile '${profile}'`,
        );
      }
    },
  );

  it('answers 400 naming a query parameter the route does not know, on every route', async () => {
    for (const path of [
      ...ROUTES_WITH_A_PROFILE,
      'entities/component/default/a1/deployments',
      'entities/component/default/a1/incidents',
      'entities/component/default/a1/maturity/history',
      'unmatched',
    ]) {
      const res = await get(withParam(path, 'dayz=30'));
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toContain("'dayz'");
    }
    // Unmatched events have no window.
    expect((await get('unmatched?days=30')).status).toBe(400);
  });

  it('windows the deployment and incident lists by days, as every other route', async () => {
    expect(
      (
        await push('deployments', [
          deployment({ id: 'list-recent', finishedAt: day(-2) }),
          deployment({ id: 'list-old', finishedAt: day(-40) }),
        ])
      ).status,
    ).toBe(200);
    const ids = async (q: string) =>
      (await get(`entities/component/default/a1/deployments${q}`)).body.items
        .map((d: any) => d.id)
        .filter((id: string) => id.startsWith('list-'));
    expect(await ids('')).toEqual(['list-recent', 'list-old']);
    expect(await ids('?days=30')).toEqual(['list-recent']);
  });

  it('refuses a lone surrogate or a NUL in a pushed string, naming the field', async () => {
    const d = await push('deployments', [deployment({ id: 'd\ud800' })]);
    expect(d.status).toBe(400);
    expect(d.body.error.message).toContain(
      'items[0].id: must be valid Unicode',
    );
    const i = await push('incidents', [
      incident({ id: 'i\udfff', severity: 'a\u0000b' }),
    ]);
    expect(i.status).toBe(400);
    expect(i.body.error.message).toContain(
      'items[0].id: must be valid Unicode',
    );
    expect(i.body.error.message).toContain(
      'items[0].severity: must be valid Unicode',
    );
  });

  it('refuses a NUL in a query string or a path with 400, not a database error', async () => {
    for (const path of [
      'scorecards?q=a%00',
      'scorecards?kind=a%00',
      'entities/component/default/a1/dora?profile=%00',
      'entities/component/default/a%00/dora',
      'entities/component/default/a%00/deployments',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect((await get('scorecards?owner=%3Aa')).status).toBe(400);
  });

  it('refuses links other than http(s), naming the field', async () => {
    const d = await push('deployments', [deployment({ url: SCRIPT_URL })]);
    expect(d.status).toBe(400);
    expect(d.body.error.message).toContain(
      'items[0].url: must be an http or https URL',
    );
    const i = await push('incidents', [
      incident({
        url: 'data:text/html,<script>alert(1)</script>',
        postmortemUrl: SCRIPT_URL,
      }),
    ]);
    expect(i.status).toBe(400);
    expect(i.body.error.message).toContain('items[0].url: must be an http');
    expect(i.body.error.message).toContain(
      'items[0].postmortemUrl: must be an http',
    );
  });

  it('refuses times before 2000 or more than a day ahead, naming the field', async () => {
    const d = await push('deployments', [
      deployment({ startedAt: '0000-01-01T00:00:00Z', finishedAt: day(2) }),
    ]);
    expect(d.status).toBe(400);
    expect(d.body.error.message).toMatch(
      /items\[0\]\.startedAt: must be from 2000-01-01T00:00:00\.000Z to .*items\[0\]\.finishedAt: must be from/,
    );
    const i = await push('incidents', [
      incident({ openedAt: '9999-12-31T00:00:00Z' }),
    ]);
    expect(i.status).toBe(400);
    expect(i.body.error.message).toContain('items[0].openedAt: must be from');
    // A little clock skew is fine.
    expect(
      (
        await push('deployments', [
          deployment({ id: 'skew', finishedAt: day(0.5) }),
        ])
      ).status,
    ).toBe(200);
  });

  it('stores every string at its limit, and refuses one past it', async () => {
    const atLimit = deployment({
      id: LONG(255, 'd'),
      source: LONG(100, 's'),
      environment: LONG(100, 'e'),
      version: LONG(255, 'v'),
      actor: LONG(255, 'a'),
      fixes: LONG(255, 'f'),
      url: `https://example.com/${LONG(1980)}`,
      commits: [{ sha: LONG(100, 'c'), committedAt: day(-2) }],
      labels: { [LONG(200, 'k')]: LONG(500) },
    });
    const stored = await push('deployments', [atLimit]);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ accepted: 1 });
    const incidentAtLimit = incident({
      id: LONG(255, 'i'),
      source: LONG(100, 's'),
      severity: LONG(100, 'v'),
      title: LONG(1000, 't'),
      url: `https://example.com/${LONG(1980)}`,
      postmortemUrl: `https://example.com/${LONG(1980)}`,
      deploymentId: LONG(255, 'd'),
      causeSha: LONG(100, 'c'),
    });
    expect((await push('incidents', [incidentAtLimit])).body).toMatchObject({
      accepted: 1,
    });
    const listed = await get(
      'entities/component/default/a1/deployments?limit=500',
    );
    expect(listed.body.items.map((i: any) => i.id)).toContain(LONG(255, 'd'));

    for (const [field, value] of [
      ['id', LONG(256)],
      ['source', LONG(101)],
      ['environment', LONG(101)],
      ['version', LONG(256)],
      ['actor', LONG(256)],
      ['fixes', LONG(256)],
      ['entityRef', refOf(256)],
    ] as const) {
      const res = await push('deployments', [deployment({ [field]: value })]);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.message).toContain(`items[0].${field}:`);
    }
    const res = await push('incidents', [
      incident({
        id: LONG(256),
        severity: LONG(101),
        title: LONG(1001),
        url: `https://example.com/${LONG(1981)}`,
        deploymentId: LONG(256),
        causeSha: LONG(101),
      }),
    ]);
    expect(res.status).toBe(400);
    for (const field of [
      'id',
      'severity',
      'title',
      'url',
      'deploymentId',
      'causeSha',
    ]) {
      expect(res.body.error.message).toContain(`items[0].${field}:`);
    }
    const labelsAndAnnotations = await push('deployments', [
      deployment({ labels: { [LONG(201)]: 'v', k: LONG(501) } }),
      deployment({
        entityRef: undefined,
        annotations: { [LONG(201)]: 'v', k: LONG(501) },
      }),
    ]);
    expect(labelsAndAnnotations.status).toBe(400);
    for (const field of [
      `items[0].labels.${LONG(201)}`,
      'items[0].labels.k',
      `items[1].annotations.${LONG(201)}`,
      'items[1].annotations.k',
    ]) {
      expect(labelsAndAnnotations.body.error.message).toContain(`${field}:`);
    }
  });

  it('keeps an unknown entityRef or annotations at their limits as unmatched', async () => {
    const res = await push('deployments', [
      deployment({ id: 'u1', entityRef: refOf(255) }),
      deployment({
        id: 'u2',
        entityRef: undefined,
        annotations: { [LONG(200, 'k')]: LONG(500, 'v') },
      }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unmatched: 2 });
    const unmatched = await get('unmatched?limit=500');
    expect(unmatched.status).toBe(200);
    expect(unmatched.body.items.map((i: any) => i.id).sort()).toEqual([
      'u1',
      'u2',
    ]);
  });

  it('mirrors catalog titles, types, lifecycles and annotation values of any length', async () => {
    const ranked = await get('scorecards?q=long');
    expect(ranked.status).toBe(200);
    expect(ranked.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/long',
        title: `Long ${LONG(400)}`,
        type: LONG(300, 't'),
        lifecycle: LONG(300, 'l'),
      }),
    ]);
    const owners = await get('scorecards/owners?q=team-long');
    expect(owners.body.items).toEqual([
      expect.objectContaining({ title: LONG(300) }),
    ]);
    // The long annotation value identifies the entity.
    const res = await push('deployments', [
      deployment({
        id: 'by-annotation',
        entityRef: undefined,
        annotations: { 'github.com/project-slug': `acme/${LONG(400)}` },
      }),
    ]);
    expect(res.body).toMatchObject({ accepted: 1, unmatched: 0 });
  });

  // Last: it breaks the database.
  it('answers a database error with a generic 500 whose id is in the log', async () => {
    await knex.schema.dropTable('dm_unmatched_events');
    const res = await get('unmatched');
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      name: 'Error',
      message: expect.stringMatching(/^Internal error [0-9a-f-]{36}$/),
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/dm_unmatched_events|select|sqlite|relation/i);
    const id = res.body.error.message.replace('Internal error ', '');
    const logged = log.errors.find(e => e.message.includes(id));
    expect(logged?.message).toContain('GET /api/devops-maturity/unmatched');
    expect(String((logged?.meta as Error)?.message)).toContain(
      'dm_unmatched_events',
    );
  });
});
