// After a load split over two replicas: every read route, asked of both, must answer alike.
import { isDeepStrictEqual } from 'node:util';
import { waitFor } from '../lib/backend.mjs';

/**
 * The read routes of the plugin (every GET a browser makes), for a sample of the catalog: the
 * first, a middle and the last service, and two teams and a department. `golden-path/failing`
 * names a check of the answer of `golden-path`, asked first.
 */
function readRoutes(catalog) {
  const services = [
    0,
    Math.floor(catalog.components.length / 2),
    catalog.components.length - 1,
  ].map(i => catalog.components[i].name);
  const owners = [
    catalog.teamRefs[0],
    catalog.teamRefs[7],
    'group:default/dept-1',
  ];
  const entity = name => `/entities/component/default/${name}`;
  const owner = ref => `/owners/${ref.replace(':', '/')}`;
  return [
    '/profiles',
    '/scorecards?days=90&limit=500',
    '/scorecards?days=30&limit=50&sort=overallTier&order=desc',
    '/scorecards/owners?days=90&limit=500',
    '/golden-path?days=90',
    '/unmatched',
    ...services.flatMap(s => [
      `${entity(s)}/dora?days=90`,
      `${entity(s)}/dora/trend?days=90`,
      `${entity(s)}/deployments?limit=100`,
      `${entity(s)}/incidents`,
      `${entity(s)}/maturity?days=90`,
      `${entity(s)}/maturity/history`,
      `${entity(s)}/calms?days=90`,
      `${entity(s)}/calms/assessment`,
    ]),
    ...owners.flatMap(o => [`${owner(o)}/dora?days=90`, `${owner(o)}/history`]),
  ];
}

/**
 * An answer without what a request computes on the spot: the window ending "now" and the time
 * a row was computed (the rankings job recomputes rows, with the same figures, in between).
 */
const withoutRequestTimes = body =>
  JSON.parse(
    JSON.stringify(body, (key, value) => {
      if (['window', 'computedAt', 'generatedAt'].includes(key))
        return undefined;
      // Rates over a window ending "now" (deployments a day in the trend's last week) move by
      // a millionth between two reads a moment apart: compared to six significant digits.
      if (typeof value === 'number' && !Number.isInteger(value))
        return Number(value.toPrecision(6));
      return value;
    }),
  );

/** The first path at which two answers differ, with both values. */
function firstDifference(a, b, path = '') {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[key], b[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  return `${path || '(root)'}: ${JSON.stringify(a)?.slice(
    0,
    80,
  )} against ${JSON.stringify(b)?.slice(0, 80)}`;
}

async function read(port, token, route) {
  const res = await fetch(
    `http://127.0.0.1:${port}/api/devops-maturity${route}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  const text = await res.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a CSV or an error page: compared as text
  }
  return { status: res.status, body: withoutRequestTimes(body) };
}

/** Asks both replicas every read route; returns the routes and those answered differently. */
export async function compareReplicas({
  backends: [a, b],
  token,
  catalog,
  log,
}) {
  // Both rankings caught up on both replicas first: the team ranking may still be behind
  // when the entity ranking is not, and rows rewritten between the two reads would differ.
  for (const { port } of [a, b]) {
    for (const route of [
      '/scorecards?days=90&limit=1',
      '/scorecards/owners?days=90&limit=1',
    ]) {
      await waitFor(
        `${route} caught up`,
        async () => !(await read(port, token, route)).body.updating,
        { timeoutMs: 300_000, intervalMs: 500 },
      );
    }
  }
  const routes = readRoutes(catalog);
  const health = await read(a.port, token, '/golden-path?days=90');
  const check = health.body?.checks?.[0]?.id;
  if (check)
    routes.push(
      `/golden-path/failing?days=90&check=${encodeURIComponent(check)}`,
    );
  const differences = [];
  const statuses = {};
  for (const route of routes) {
    // A's answer, then B's: rows the rankings job rewrites meanwhile keep their figures.
    const [fromA, fromB] = [
      await read(a.port, token, route),
      await read(b.port, token, route),
    ];
    statuses[fromA.status] = (statuses[fromA.status] ?? 0) + 1;
    if (fromA.status !== 200 || !isDeepStrictEqual(fromA, fromB)) {
      differences.push({
        route,
        a: fromA.status,
        b: fromB.status,
        sample:
          firstDifference(fromA.body, fromB.body) ??
          JSON.stringify(fromA.body).slice(0, 200),
      });
    }
  }
  log(
    `${routes.length} read routes asked of both: ${differences.length} answered differently or not 200`,
  );
  return { routes: routes.length, differences, statuses };
}
