import fs from 'fs';
import path from 'path';

/** What the probe saw of one route. */
interface RouteCount {
  requests: number;
  c4xx: number;
  c5xx: number;
  valid: number;
  valid2xx: number;
}

/** One answer that broke a property: what was sent, what came back, which rule it broke. */
export interface Violation {
  database: string;
  route: string;
  kind: string;
  rule: string;
  request: string;
  status: number;
  message: string;
}

/** The probe's counts, across the databases it ran on. */
export class Tally {
  readonly routes = new Map<string, RouteCount>();
  readonly kinds = new Map<
    string,
    { requests: number; c4xx: number; named: number }
  >();
  readonly violations: Violation[] = [];
  readonly databases: string[] = [];
  readonly fixed: Array<{
    name: string;
    value: string;
    bound: string;
    met: boolean;
  }> = [];
  bad = 0;
  c4xx = 0;
  c5xx = 0;
  accepted = 0;
  c400 = 0;
  named400 = 0;
  rowsWritten = 0;
  checkedWrites = 0;
  valid = 0;
  valid200 = 0;
  /** Paths of odd characters naming no entity: valid requests, answered 200, 400 or 404. */
  readonly unknownEntity = { requests: 0, c200: 0, c400: 0, c404: 0 };

  private route(route: string) {
    let r = this.routes.get(route);
    if (!r)
      this.routes.set(
        route,
        (r = { requests: 0, c4xx: 0, c5xx: 0, valid: 0, valid2xx: 0 }),
      );
    return r;
  }

  addUnknownEntity(route: string, status: number, rows: number) {
    const r = this.route(route);
    r.requests++;
    if (status >= 400 && status < 500) r.c4xx++;
    if (status >= 500) {
      r.c5xx++;
      this.c5xx++;
    }
    const u = this.unknownEntity;
    u.requests++;
    if (status === 200) u.c200++;
    if (status === 400) u.c400++;
    if (status === 404) u.c404++;
    this.checkedWrites++;
    this.rowsWritten += rows;
  }

  addBad(
    route: string,
    kind: string,
    status: number,
    named: boolean,
    rows: number,
  ) {
    const r = this.route(route);
    r.requests++;
    this.bad++;
    let k = this.kinds.get(kind);
    if (!k) this.kinds.set(kind, (k = { requests: 0, c4xx: 0, named: 0 }));
    k.requests++;
    if (status >= 400 && status < 500) {
      r.c4xx++;
      k.c4xx++;
      this.c4xx++;
    } else if (status >= 500) {
      r.c5xx++;
      this.c5xx++;
    } else this.accepted++;
    if (status === 400) {
      this.c400++;
      if (named) this.named400++;
    }
    if (named) k.named++;
    this.checkedWrites++;
    this.rowsWritten += rows;
  }

  addValid(route: string, status: number) {
    const r = this.route(route);
    r.requests++;
    r.valid++;
    this.valid++;
    if (status >= 200 && status < 300) {
      r.valid2xx++;
      this.valid200++;
    }
    if (status >= 500) {
      r.c5xx++;
      this.c5xx++;
    } else if (status >= 400) r.c4xx++;
  }
}

const pct = (n: number, of: number) =>
  of ? `${((100 * n) / of).toFixed(n === of ? 0 : 2)}%` : 'n/a';
const count = (n: number) => n.toLocaleString('en-US');
const ofAll = (n: number, of: number) =>
  `${count(n)} of ${count(of)} (${pct(n, of)})`;

/**
 * The figures as the reliability runner reads them (`$RELIABILITY_OUT/bad-input.json`), which
 * it turns into docs/reliability.md.
 */
export function writeFigures(
  dir: string,
  run: {
    title: string;
    profile: string;
    startedAt: Date;
    seed: number;
    routes: number;
    routesCovered: number;
  },
  tally: Tally,
) {
  const figure = (name: string, value: string, bound?: string, met?: boolean) =>
    bound === undefined ? { name, value } : { name, value, bound, met };
  const figures = [
    figure('databases', tally.databases.join(', ')),
    figure(
      'requests',
      count(tally.bad + tally.unknownEntity.requests + tally.valid),
    ),
    figure('corrupted requests', count(tally.bad)),
    figure(
      'routes covered',
      `${tally.routes.size} of ${run.routes}`,
      `${run.routes}`,
      run.routesCovered === run.routes,
    ),
    figure(
      'answered 4xx',
      ofAll(tally.c4xx, tally.bad),
      '100%',
      tally.c4xx === tally.bad,
    ),
    figure('answered 5xx', count(tally.c5xx), '0', tally.c5xx === 0),
    figure(
      'invalid requests answered 2xx',
      count(tally.accepted),
      '0',
      tally.accepted === 0,
    ),
    figure(
      '400s naming the bad field or parameter',
      ofAll(tally.named400, tally.c400),
      '100%',
      tally.named400 === tally.c400,
    ),
    figure(
      'rows written by rejected requests',
      `${count(tally.rowsWritten)} (checked after each of ${count(
        tally.checkedWrites,
      )})`,
      '0',
      tally.rowsWritten === 0,
    ),
    figure(
      'paths of odd characters naming no entity (valid requests)',
      `${count(tally.unknownEntity.requests)}: ${count(
        tally.unknownEntity.c404,
      )} answered 404, ${count(tally.unknownEntity.c400)} 400, ${count(
        tally.unknownEntity.c200,
      )} 200 (the event lists answer an unknown entity with an empty page)`,
    ),
    figure(
      'valid requests in between answered 200',
      ofAll(tally.valid200, tally.valid),
      '100%',
      tally.valid200 === tally.valid,
    ),
    ...tally.fixed,
    figure(
      'wrong answers (any rule broken)',
      count(tally.violations.length),
      '0',
      tally.violations.length === 0,
    ),
  ];
  const ok = figures.every(f => !('met' in f) || f.met);
  const out = {
    probe: 'bad-input',
    title: run.title,
    profile: run.profile,
    startedAt: run.startedAt.toISOString(),
    durationSeconds:
      Math.round((Date.now() - run.startedAt.getTime()) / 100) / 10,
    ok,
    figures,
    tables: [
      {
        caption: 'per route',
        header: ['route', 'requests', '4xx', '5xx', '2xx (valid)'],
        rows: [...tally.routes.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([route, r]) => [
            route,
            count(r.requests),
            count(r.c4xx),
            count(r.c5xx),
            `${count(r.valid2xx)} of ${count(r.valid)}`,
          ]),
      },
      {
        caption: 'per corruption',
        header: ['corruption', 'requests', '4xx', 'message names the field'],
        rows: [...tally.kinds.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([kind, k]) => [
            kind,
            count(k.requests),
            count(k.c4xx),
            count(k.named),
          ]),
      },
    ],
    notes: [
      `seed ${run.seed} (${run.profile} profile; replay with RELIABILITY_SEED=${
        run.seed
      }); generated requests per database: ${tally.databases.join(
        ', ',
      )}, a valid one of the same route after every fourth`,
      'Each request starts from a valid one and corrupts one thing; the answer must be 4xx (400 unless the corruption says otherwise), its error.message must name the corrupted field or parameter, and the row counts of every dm_ table must be the same after it.',
      ...tally.violations
        .slice(0, 20)
        .map(
          v =>
            `wrong answer on ${v.database}: ${v.route} (${v.kind}): ${
              v.rule
            }; answered ${v.status} ${JSON.stringify(
              v.message.slice(0, 200),
            )}; sent ${v.request.slice(0, 300)}`,
        ),
    ],
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'bad-input.json'),
    `${JSON.stringify(out, null, 2)}\n`,
  );
}
