// The crash run's steps on one backend: wait for it to know the catalog, load it until a fixed
// number of requests are acknowledged and SIGKILL it in that instant, resend, and audit what its
// database holds against what was acknowledged.
import http from 'node:http';
import {
  deploymentIds,
  duplicates,
  openPluginDb,
  snapshot,
} from '../lib/count.mjs';
import { pool, post, reasonOf } from '../lib/traffic.mjs';
import { PUSH_PATH } from '../lib/catalog.mjs';

export const WEBHOOK_PATH = '/api/events/http/github';
export const WEBHOOK_SOURCE = 'github';

/** The push API's batches as a stream of requests: acknowledged by a 200. */
export function pushStream(plan, token) {
  return {
    count: plan.batches,
    request: b => ({
      path: PUSH_PATH,
      body: plan.body(b),
      headers: { authorization: `Bearer ${token}` },
    }),
    acknowledged: status => status === 200,
  };
}

/** GitHub deliveries to the events backend's ingress: acknowledged by any 2xx (it says 202). */
export function webhookStream(deliveries) {
  return {
    count: deliveries.count,
    request: i => ({ path: WEBHOOK_PATH, ...deliveries.request(i) }),
    acknowledged: status => status >= 200 && status < 300,
  };
}

/**
 * Sends the stream's requests in order on `clients` workers and SIGKILLs the backend's process
 * group in the instant the `killAt`-th acknowledgement is read, or the `abortAfter`-th 5xx
 * answer (a backend that refuses most requests would otherwise be loaded to the end). Returns
 * what was acknowledged: an answer read after the kill counts too, as the backend wrote all of
 * it before dying.
 */
export async function loadUntilKill({
  backend,
  stream,
  killAt,
  abortAfter,
  clients,
  log,
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const out = {
    acked: new Set(),
    unacked: new Map(),
    refusedBeforeKill: {},
    errors: [],
    killed: false,
    killAt,
    serverErrors: 0,
  };
  const kill = () => {
    if (out.killed) return;
    backend.kill();
    out.killed = true;
    out.killAtMs = Date.now();
    out.ackedAtKill = out.acked.size;
  };
  out.firstSendMs = Date.now();
  let lastLog = out.firstSendMs;
  let next = 0;
  await pool(
    clients,
    () => (!out.killed && next < stream.count ? next++ : undefined),
    async i => {
      const { path, body, headers } = stream.request(i);
      try {
        const r = await post(agent, backend.port, path, body, headers);
        if (stream.acknowledged(r.status)) {
          out.acked.add(i);
          if (out.acked.size >= killAt) kill();
        } else {
          out.unacked.set(i, `HTTP ${r.status}`);
          if (!out.killed) {
            out.refusedBeforeKill[r.status] =
              (out.refusedBeforeKill[r.status] ?? 0) + 1;
            if (out.errors.length < 5)
              out.errors.push(`${r.status} ${r.text.slice(0, 300)}`);
            if (r.status >= 500 && ++out.serverErrors >= abortAfter) kill();
          }
        }
      } catch (error) {
        out.unacked.set(i, reasonOf(error));
      }
      if (!out.killed && Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`${out.acked.size} of ${stream.count} acknowledged`);
      }
    },
  );
  // Every request was sent and the kill point never came (refusals): kill now, and say so.
  out.killPointReached = out.killed;
  kill();
  agent.destroy();
  return out;
}

/**
 * Sends the stream's requests `indexes` once more, none started after `deadline` (epoch ms);
 * returns what the answers said.
 */
export async function resend({
  port,
  stream,
  indexes,
  clients,
  deadline = Infinity,
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const out = {
    accepted: 0,
    updated: 0,
    refused: {},
    errors: [],
    acknowledged: new Set(),
  };
  let k = 0;
  try {
    await pool(
      clients,
      () =>
        k < indexes.length && Date.now() < deadline ? indexes[k++] : undefined,
      async i => {
        const { path, body, headers } = stream.request(i);
        const r = await post(agent, port, path, body, headers).catch(error => ({
          status: 0,
          text: reasonOf(error),
        }));
        if (stream.acknowledged(r.status)) {
          out.acknowledged.add(i);
          const answer = JSON.parse(r.text);
          out.accepted += answer.accepted ?? 0;
          out.updated += answer.updated ?? 0;
        } else {
          out.refused[r.status] = (out.refused[r.status] ?? 0) + 1;
          if (out.errors.length < 5)
            out.errors.push(`${r.status} ${r.text.slice(0, 300)}`);
        }
      },
    );
  } finally {
    agent.destroy();
  }
  return out;
}

async function withDb(target, fn) {
  const db = openPluginDb(target);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** The counts that resends must not move. */
export function counts(target, plan) {
  return withDb(target, db =>
    snapshot(db, { pushSource: plan.source, webhookSource: WEBHOOK_SOURCE }),
  );
}

/**
 * Of `load` (which units were acknowledged, which not), how many of each unit's `items` are
 * stored: acknowledged ones lost, unacknowledged ones stored anyway and whether a unit was
 * stored whole, and stored ids of no unit sent.
 */
function tally(stored, load, itemsOf) {
  let ackedItems = 0;
  let lost = 0;
  for (const u of load.acked) {
    for (const id of itemsOf(u)) {
      ackedItems++;
      if (!stored.has(id)) lost++;
    }
  }
  let storedWithoutAck = 0;
  // `refusedButStored`: answered with an error status, yet stored whole (the answer lied)
  const unacked = { whole: 0, partly: 0, none: 0, refusedButStored: 0 };
  for (const [u, why] of load.unacked) {
    const ids = itemsOf(u);
    const n = ids.filter(id => stored.has(id)).length;
    storedWithoutAck += n;
    if (n === ids.length) {
      unacked.whole++;
      if (why.startsWith('HTTP ')) unacked.refusedButStored++;
    } else if (n === 0) unacked.none++;
    else unacked.partly++;
  }
  return {
    stored: stored.size,
    ackedItems,
    lost,
    storedWithoutAck,
    unacked,
    // stored, but of no request that was sent: impossible unless ids got mixed up
    strangers: stored.size - (ackedItems - lost) - storedWithoutAck,
  };
}

const batchIds = plan => b =>
  Array.from({ length: plan.size(b) }, (_, j) => plan.id(b, j));
const deliveryIds = deliveries => i => [String(deliveries.deploymentId(i))];

/** The pushed deployments in the database against the push load's acknowledgements. */
export function auditPush({ target, plan, load }) {
  return withDb(target, async db => ({
    ...tally(await deploymentIds(db, plan.source), load, batchIds(plan)),
    twice: await duplicates(db, 'dm_deployments', ['source', 'external_id'], {
      source: plan.source,
    }),
    counts: await snapshot(db, {
      pushSource: plan.source,
      webhookSource: WEBHOOK_SOURCE,
    }),
  }));
}

/**
 * The deliveries' deployments in the database against the webhook load's 2xx answers; also
 * whether each answered delivery is remembered (dm_deliveries), so a redelivery is taken once.
 */
export function auditWebhooks({ target, plan, deliveries, load }) {
  return withDb(target, async db => {
    const remembered = new Set(
      (
        await db('dm_deliveries')
          .where({ source: WEBHOOK_SOURCE })
          .select('delivery_id')
      ).map(r => r.delivery_id),
    );
    let notRemembered = 0;
    for (const i of load.acked)
      if (!remembered.has(deliveries.deliveryId(i))) notRemembered++;
    return {
      ...tally(
        await deploymentIds(db, WEBHOOK_SOURCE),
        load,
        deliveryIds(deliveries),
      ),
      notRemembered,
      twice:
        (await duplicates(db, 'dm_deployments', ['source', 'external_id'], {
          source: WEBHOOK_SOURCE,
        })) +
        (await duplicates(db, 'dm_deliveries', ['source', 'delivery_id'], {
          source: WEBHOOK_SOURCE,
        })),
      counts: await snapshot(db, {
        pushSource: plan.source,
        webhookSource: WEBHOOK_SOURCE,
      }),
    };
  });
}
