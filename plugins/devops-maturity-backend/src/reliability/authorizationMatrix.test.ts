import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { CALMS_QUESTIONS } from '@devops-maturity/backstage-plugin-common';
import { createRouter } from '../service/router';
import {
  MATRIX_NOTES,
  Principal,
  PRINCIPALS,
  startMatrixBackend,
} from './__testUtils__/matrixBackend';

jest.setTimeout(60_000);

/** Each cell's status, in the order of PRINCIPALS. */
type Statuses = [number, number, number, number, number, number, number];

/**
 * The design, cell by cell. `secret` is Bob's and hidden from Alice; `open` is team-a's (Alice's
 * team) and visible to all; Bob owns only `secret`. Bob may read unmatched events, Alice not.
 */
// prettier-ignore
const EXPECTED: Array<[string, Statuses]> = [
  //                                                                        none wrong  Bob Alice  svc push read
  ['POST /deployments',                                                     [401, 401, 403, 403, 200, 200, 403]],
  ['GET /deployments/base?entityRef=component:default/secret&id=matrix-d1', [401, 401, 403, 403, 200, 200, 403]],
  ['POST /incidents',                                                       [401, 401, 403, 403, 200, 200, 403]],
  ['GET /incidents/stored?entityRef=component:default/secret&id=matrix-i1', [401, 401, 403, 403, 200, 200, 403]],
  ['GET /profiles',                                                         [401, 401, 200, 200, 200, 403, 200]],
  ['GET /entities/component/default/secret/dora',                           [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/open/dora',                             [401, 401, 200, 200, 200, 403, 200]],
  ['GET /entities/component/default/secret/dora/trend',                     [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/deployments',                    [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/incidents',                      [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/maturity',                       [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/maturity/history',               [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/calms',                          [401, 401, 200, 404, 200, 403, 200]],
  ['GET /entities/component/default/secret/calms/assessment',               [401, 401, 200, 404, 200, 403, 200]],
  // Users only: Bob owns `secret`, Alice's team `open`; Bob is no admin.
  ['PUT /entities/component/default/secret/calms/assessment',               [401, 401, 200, 404, 403, 403, 403]],
  ['PUT /entities/component/default/open/calms/assessment',                 [401, 401, 403, 200, 403, 403, 403]],
  // To Alice, Bob owns nothing: as an owner that does not exist.
  ['GET /owners/user/default/bob/dora',                                     [401, 401, 200, 404, 200, 403, 200]],
  ['GET /owners/group/default/team-a/dora',                                 [401, 401, 200, 200, 200, 403, 200]],
  ['GET /owners/user/default/bob/history',                                  [401, 401, 200, 404, 200, 403, 200]],
  ['GET /scorecards?days=30',                                               [401, 401, 200, 200, 200, 403, 200]],
  ['GET /scorecards/owners?days=30',                                        [401, 401, 200, 200, 200, 403, 200]],
  ['GET /golden-path?days=30',                                              [401, 401, 200, 200, 200, 403, 200]],
  ['GET /golden-path/failing?days=30&check=ci',                             [401, 401, 200, 200, 200, 403, 200]],
  ['GET /unmatched',                                                        [401, 401, 200, 403, 200, 403, 403]],
];

/** What the table expects, and what the test checks beyond it, for the document. */
const EXPECTATIONS = [
  'Expected: no or wrong token 401; an entity hidden from the reader 404, exactly as a missing one (Bob, who owns only the hidden service, is to Alice an owner that does not exist); users 403 on pushes and on the push helpers; the push-scoped token 403 on every read but the push helpers `GET /deployments/base` and `GET /incidents/stored`; the read-scoped token 403 on pushes and on unmatched events; services 403 on the assessment PUT (users only); a user 403 on the assessment of an entity they see but do not own.',
  'Beyond the status: every 404 answered to Alice equals, but for the name, the answer for an entity (or owner) that does not exist; and no 200 answered to Alice names `secret`.',
];

/** A valid body for each write: a push of one event, a whole CALMS assessment. */
function bodyOf(method: string, route: string, now: number) {
  const hourAgo = new Date(now - 3_600_000).toISOString();
  if (route === 'POST /deployments') {
    return {
      items: [
        {
          id: 'matrix-d1',
          entityRef: 'component:default/secret',
          environment: 'production',
          status: 'success',
          finishedAt: hourAgo,
        },
      ],
    };
  }
  if (route === 'POST /incidents') {
    return {
      items: [
        {
          id: 'matrix-i1',
          entityRef: 'component:default/secret',
          openedAt: hourAgo,
          title: 'Checkout down',
        },
      ],
    };
  }
  if (method === 'PUT') {
    return {
      answers: Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, 3])),
    };
  }
  return undefined;
}

/** Every route the router serves, `METHOD /path` as declared (as openapi.test.ts lists them). */
async function servedRoutes(): Promise<string[]> {
  const router: any = await createRouter({} as any);
  return router.stack
    .filter((layer: any) => layer.route)
    .flatMap((layer: any) =>
      Object.keys(layer.route.methods).map(
        m => `${m.toUpperCase()} ${layer.route.path}`,
      ),
    )
    .sort();
}

/** The served routes a concrete request `METHOD /path?query` matches. */
function routesOf(req: string, served: string[]): string[] {
  const [method, url] = req.split(' ');
  const pathname = url.split('?')[0];
  return served.filter(route => {
    const [m, pattern] = route.split(' ');
    const re = new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`);
    return m === method && re.test(pathname);
  });
}

function textTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map(r => r[i].length)),
  );
  return [header, ...body]
    .map(r => r.map((c, i) => c.padEnd(widths[i])).join(' | '))
    .join('\n');
}

describe('the authorization matrix: every route for every kind of caller', () => {
  const startedAt = new Date();
  let server: any;
  let tokens: Record<Principal, string | undefined>;

  beforeAll(async () => {
    ({ server, tokens } = await startMatrixBackend());
  });

  it('has a row for every route the router serves, and none for a route it does not', async () => {
    const served = await servedRoutes();
    const matched = EXPECTED.map(([req]) => ({
      req,
      routes: routesOf(req, served),
    }));
    const covered = new Set(matched.flatMap(m => m.routes));
    expect({
      rowsNotOfOneRoute: matched.filter(m => m.routes.length !== 1),
      routesWithoutRow: served.filter(r => !covered.has(r)),
    }).toEqual({ rowsNotOfOneRoute: [], routesWithoutRow: [] });
  });

  it('answers every cell with the status of the design', async () => {
    const now = Date.now();
    const served = await servedRoutes();
    const send = (req: string, principal: Principal, url?: string) => {
      const [method, target] = req.split(' ');
      const verbs = { POST: 'post', PUT: 'put', GET: 'get' } as const;
      const pending = request(server)[verbs[method as keyof typeof verbs]](
        `/api/devops-maturity${url ?? target}`,
      );
      const token = tokens[principal];
      if (token) pending.set('authorization', `Bearer ${token}`);
      const body = bodyOf(method, routesOf(req, served)[0], now);
      return body ? pending.send(body) : pending;
    };
    const errorOf = (r: request.Response) => ({
      status: r.status,
      message: r.body?.error?.message as string | undefined,
    });

    const actual: number[][] = [];
    // Beyond the status: what a status of the design must also mean.
    const leaks: string[] = [];
    for (const [req] of EXPECTED) {
      const statuses: number[] = [];
      for (const principal of PRINCIPALS) {
        const res = await send(req, principal);
        statuses.push(res.status);
        if (principal !== 'user who cannot see the entity') continue;
        // Nothing answered to Alice names the service hidden from her.
        if (res.status === 200 && /secret/i.test(res.text))
          leaks.push(`${req}: a 200 to Alice names the hidden service`);
        // A hidden entity (or an owner of hidden ones only) answers as one that does not exist.
        if (res.status === 404) {
          const [hidden, missing] = req.includes('/secret/')
            ? ['secret', 'no-such-service']
            : ['bob', 'nobody'];
          const url = req.split(' ')[1].replace(`/${hidden}/`, `/${missing}/`);
          const absent = errorOf(await send(req, principal, url));
          const asHidden = {
            ...absent,
            message: absent.message?.replace(missing, hidden),
          };
          if (JSON.stringify(errorOf(res)) !== JSON.stringify(asHidden))
            leaks.push(
              `${req}: Alice gets ${JSON.stringify(errorOf(res))}, ` +
                `but for ${missing} ${JSON.stringify(absent)}`,
            );
        }
      }
      actual.push(statuses);
    }

    const mismatches = EXPECTED.flatMap(([req, expected], i) =>
      PRINCIPALS.flatMap((principal, j) =>
        actual[i][j] === expected[j]
          ? []
          : [
              `${req} as ${principal}: ${actual[i][j]}, expected ${expected[j]}`,
            ],
      ),
    );
    const header = ['route', ...PRINCIPALS];
    const rows = EXPECTED.map(([req, expected], i) => [
      req,
      ...actual[i].map((s, j) =>
        s === expected[j] ? String(s) : `${s} (expected ${expected[j]})`,
      ),
    ]);
    const total = EXPECTED.length * PRINCIPALS.length;

    const out = process.env.RELIABILITY_OUT;
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      const report = {
        probe: 'authorization',
        title: 'Authorization matrix',
        profile: process.env.RELIABILITY_PROFILE ?? 'short',
        startedAt: startedAt.toISOString(),
        durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
        ok: mismatches.length === 0 && leaks.length === 0,
        figures: [
          {
            name: 'cells',
            value: `${total} (${EXPECTED.length} requests over ${served.length} routes, ${PRINCIPALS.length} principals)`,
          },
          {
            name: 'cells as expected',
            value: `${total - mismatches.length} of ${total}`,
            bound: 'all',
            met: mismatches.length === 0,
          },
          {
            name: 'hidden-entity answers unlike a missing one, or naming it',
            value: String(leaks.length),
            bound: '0',
            met: leaks.length === 0,
          },
        ],
        tables: [{ caption: 'status per route and principal', header, rows }],
        notes: [...MATRIX_NOTES, ...EXPECTATIONS, ...leaks],
      };
      fs.writeFileSync(
        path.join(out, 'authorization.json'),
        `${JSON.stringify(report, null, 2)}\n`,
      );
    }

    expect(
      mismatches.length === 0
        ? 'every cell as designed'
        : `${mismatches.length} cells not as designed:\n${mismatches.join(
            '\n',
          )}\n\nThe whole table:\n${textTable(header, rows)}`,
    ).toBe('every cell as designed');
    expect(leaks).toEqual([]);
  });
});
