// The crash probe's result: what holds, the figures, tables and notes of crash.json.

export const fmt = n =>
  typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
export const secs = ms => `${(ms / 1000).toFixed(1)} s`;

const COUNT_KEYS = {
  push: ['deployments', 'entityChanges'],
  hooks: ['webhookDeployments', 'deliveries'],
};

/** A phase's counts after each resend equal those after the restart; nothing taken as new. */
function unmoved(phase, keys) {
  return phase.rounds.every(
    ({ answers, counts }) =>
      answers.accepted === 0 &&
      keys.every(k => counts[k] === phase.audit.counts[k]),
  );
}

const sumOf = (into, from) => {
  for (const [status, n] of Object.entries(from))
    into[status] = (into[status] ?? 0) + n;
  return into;
};

/** The phase's error answers (status: count): before the kill, in the resends, in the retries. */
export function refusals(phase) {
  return {
    beforeKill: phase.load.refusedBeforeKill,
    resends: phase.rounds.reduce((all, x) => sumOf(all, x.answers.refused), {}),
    retries: phase.retries.reduce((all, x) => sumOf(all, x.refused), {}),
  };
}

const serverErrors = byStatus =>
  Object.entries(byStatus).reduce(
    (n, [status, k]) => n + (Number(status) >= 500 ? k : 0),
    0,
  );

function phaseHolds(phase, keys) {
  const refused = refusals(phase);
  return (
    phase.left.length === 0 &&
    phase.audit.lost === 0 &&
    phase.audit.twice === 0 &&
    phase.audit.strangers === 0 &&
    phase.final.lost === 0 &&
    phase.final.twice === 0 &&
    phase.final.strangers === 0 &&
    unmoved(phase, keys) &&
    // As the suite's runner has it: a 5xx answer breaks a promise, even if nothing was lost.
    Object.values(refused).every(byStatus => serverErrors(byStatus) === 0)
  );
}

/** Whether a database's run keeps the promises (speed never fails it). */
export function holds(r) {
  if (r.skipped) return true;
  if (r.error || !r.push?.final || !r.hooks?.final) return false;
  // A restart the probe did not make (a watched file changed) leaves the figures unproven.
  if (r.devServerRestarts) return false;
  return (
    phaseHolds(r.push, COUNT_KEYS.push) && phaseHolds(r.hooks, COUNT_KEYS.hooks)
  );
}

const ratePerSecond = (items, load) =>
  Math.round(items / ((load.killAtMs - load.firstSendMs) / 1000));

const series = (phase, key) =>
  [phase.audit.counts[key], ...phase.rounds.map(x => x.counts[key])]
    .map(fmt)
    .join(' → ');

const unackedValue = (audit, load, unit) =>
  `${fmt(audit.storedWithoutAck)} (${fmt(
    load.unacked.size,
  )} ${unit} unacknowledged: stored whole ${audit.unacked.whole}, partly ${
    audit.unacked.partly
  }, not at all ${
    audit.unacked.none
  }; answered with an error yet stored whole ${
    audit.unacked.refusedButStored
  })`;

const refusalValue = phase => {
  const r = refusals(phase);
  const show = byStatus =>
    Object.keys(byStatus).length ? JSON.stringify(byStatus) : 'none';
  return `before the kill ${show(r.beforeKill)}; resends ${show(
    r.resends,
  )}; retries ${show(r.retries)}`;
};

const errorFigure = (name, phase) => {
  const r = refusals(phase);
  return {
    name,
    value: refusalValue(phase),
    bound: 'no 5xx',
    met: Object.values(r).every(byStatus => serverErrors(byStatus) === 0),
  };
};

const killedEarly = load =>
  load.killPointReached && load.ackedAtKill < load.killAt
    ? `; killed early, at the ${fmt(load.serverErrors)}th 5xx answer`
    : '';

const finalValue = phase =>
  `${fmt(phase.final.ackedItems)} acknowledged in the end, ${fmt(
    phase.final.lost,
  )} of them missing, ${fmt(phase.final.twice)} twice; ${fmt(
    phase.neverAcked,
  )} requests never acknowledged after ${phase.retries.length} retries${
    phase.neverAcked ? ' (retries stop at 3 or the time budget)' : ''
  }`;

export function figuresOf(r, c) {
  const L = r.label;
  if (r.skipped)
    return [
      {
        name: `${L}: the run`,
        value: `skipped: ${r.skipped}`,
        bound: 'runs',
        met: null,
      },
    ];
  const figures = [];
  if (r.error)
    figures.push({
      name: `${L}: the run`,
      value: `failed: ${r.error}`,
      bound: 'completes',
      met: false,
    });
  const { push, hooks } = r;
  if (push?.final) {
    const load = push.load;
    const killedAfter = (load.killAtMs - load.firstSendMs) / 1000;
    const ackedAtKillItems = load.ackedAtKill * c.batch;
    figures.push(
      {
        name: `${L}, push API: events planned`,
        value: `${fmt(r.plan.events)} in ${fmt(r.plan.batches)} batches of ${
          c.batch
        }, ${c.clients} clients`,
        bound: '',
        met: null,
      },
      {
        name: `${L}, push API: batches acknowledged at the kill`,
        value: `${fmt(load.ackedAtKill)} (${fmt(
          ackedAtKillItems,
        )} events); ${fmt(
          load.acked.size,
        )} with answers already on the wire (${fmt(
          push.audit.ackedItems,
        )} events)${killedEarly(load)}`,
        bound: `SIGKILL at ${fmt(r.pushKillAt)} (${c.killShare * 100}%)`,
        met: load.ackedAtKill >= r.pushKillAt,
      },
      {
        name: `${L}, push API: acknowledged events lost after restart`,
        value: fmt(push.audit.lost),
        bound: '0',
        met: push.audit.lost === 0,
      },
      {
        name: `${L}, push API: acknowledged events stored twice`,
        value: fmt(push.audit.twice),
        bound: '0',
        met: push.audit.twice === 0,
      },
      {
        name: `${L}, push API: events stored without acknowledgement`,
        value: unackedValue(push.audit, load, 'batches'),
        bound:
          'allowed if the answer broke off; a batch whole or not at all; none answered with an error',
        met:
          push.audit.unacked.partly === 0 &&
          push.audit.unacked.refusedButStored === 0,
      },
      {
        name: `${L}, push API: stored events, after restart → after each of ${c.resends} resends of every acknowledged batch`,
        value: series(push, 'deployments'),
        bound: 'unchanged; none answered as new',
        met: unmoved(push, ['deployments']),
      },
      {
        name: `${L}, push API: dm_entity_changes rows, after restart → after each resend`,
        value: series(push, 'entityChanges'),
        bound: 'unchanged',
        met: unmoved(push, ['entityChanges']),
      },
      {
        name: `${L}, push API: after sending the unacknowledged batches again (up to ${c.retries} times)`,
        value: finalValue(push),
        bound: 'every acknowledged event stored once',
        met:
          push.final.lost === 0 &&
          push.final.twice === 0 &&
          push.final.strangers === 0,
      },
      errorFigure(`${L}, push API: error answers (status: count)`, push),
      {
        name: `${L}, push API: ingestion rate before the kill`,
        value: `${fmt(ratePerSecond(ackedAtKillItems, load))} events/s (${fmt(
          ackedAtKillItems,
        )} in ${killedAfter.toFixed(1)} s)`,
        bound: '',
        met: null,
      },
      {
        name: `${L}: restart after SIGKILL (process start to readiness)`,
        value: `${secs(push.restartMs)} (SIGKILL to ready ${secs(
          push.killToReadyMs,
        )}; first start ${secs(r.firstStartMs)})`,
        bound: '',
        met: null,
      },
    );
  }
  if (hooks?.final) {
    const load = hooks.load;
    figures.push(
      {
        name: `${L}, webhooks: deliveries answered 2xx at the kill`,
        value: `${fmt(load.ackedAtKill)}; ${fmt(
          load.acked.size,
        )} with answers already on the wire; ${fmt(
          load.acked.size + load.unacked.size,
        )} sent of ${fmt(r.deliveries.count)} planned${killedEarly(load)}`,
        bound: `SIGKILL at ${fmt(r.hookKillAt)} (${c.killShare * 100}%)`,
        met: load.ackedAtKill >= r.hookKillAt,
      },
      {
        name: `${L}, webhooks: answered 2xx but not stored after restart`,
        value: fmt(hooks.audit.lost),
        bound: '0',
        met: hooks.audit.lost === 0,
      },
      {
        name: `${L}, webhooks: stored twice (deployments or remembered deliveries)`,
        value: fmt(hooks.audit.twice),
        bound: '0',
        met: hooks.audit.twice === 0,
      },
      {
        name: `${L}, webhooks: answered 2xx but not remembered as handled (dm_deliveries)`,
        value: fmt(hooks.audit.notRemembered),
        bound: '0',
        met: hooks.audit.notRemembered === 0,
      },
      {
        name: `${L}, webhooks: stored without a 2xx`,
        value: unackedValue(hooks.audit, load, 'deliveries'),
        bound: 'allowed',
        met: null,
      },
      {
        name: `${L}, webhooks: deployments / remembered deliveries, after restart → after each of ${c.resends} redeliveries of every answered delivery`,
        value: `${series(hooks, 'webhookDeployments')} / ${series(
          hooks,
          'deliveries',
        )}`,
        bound: 'unchanged',
        met: unmoved(hooks, COUNT_KEYS.hooks),
      },
      {
        name: `${L}, webhooks: after redelivering the unanswered (up to ${c.retries} times)`,
        value: finalValue(hooks),
        bound: 'every answered delivery stored once',
        met:
          hooks.final.lost === 0 &&
          hooks.final.twice === 0 &&
          hooks.final.strangers === 0,
      },
      errorFigure(`${L}, webhooks: error answers (status: count)`, hooks),
      {
        name: `${L}, webhooks: rate before the kill`,
        value: `${fmt(ratePerSecond(load.ackedAtKill, load))} deliveries/s on ${
          c.webhookClients
        } senders`,
        bound: '',
        met: null,
      },
    );
  }
  if (r.devServerRestarts !== undefined)
    figures.push({
      name: `${L}: restarts of the backend by the dev server's file watcher`,
      value: fmt(r.devServerRestarts),
      bound:
        '0 (else the run proves nothing: run it again with the tree unchanged)',
      met: r.devServerRestarts === 0,
    });
  for (const [phase, name] of [
    [push, 'push'],
    [hooks, 'webhook'],
  ]) {
    if (phase?.left)
      figures.push({
        name: `${L}: processes left after the SIGKILL of the ${name} phase`,
        value: phase.left.length ? phase.left.join(', ') : '0',
        bound: '0',
        met: phase.left.length === 0,
      });
  }
  return figures;
}

export function tablesOf(results, c) {
  const ran = results.filter(r => r.push?.final);
  const ranHooks = results.filter(r => r.hooks?.final);
  return [
    {
      caption: `Push API: ${c.clients} clients, batches of ${
        c.batch
      }, the backend's process group SIGKILLed at ${
        c.killShare * 100
      }% of the batches acknowledged, restarted on the same database`,
      header: [
        'database',
        'events planned',
        'acknowledged batches at the kill',
        'acknowledged events',
        'lost',
        'twice',
        'stored without ack',
        'stored after restart',
        `after ${c.resends} resends`,
        'stored after the retries',
        '5xx answers',
        'ingest rate',
        'restart to ready',
      ],
      rows: ran.map(r => [
        r.label,
        fmt(r.plan.events),
        fmt(r.push.load.ackedAtKill),
        fmt(r.push.audit.ackedItems),
        fmt(r.push.audit.lost),
        fmt(r.push.audit.twice),
        fmt(r.push.audit.storedWithoutAck),
        fmt(r.push.audit.counts.deployments),
        r.push.rounds.map(x => fmt(x.counts.deployments)).join(', '),
        fmt(r.push.final.stored),
        fmt(
          Object.values(refusals(r.push)).reduce(
            (n, b) => n + serverErrors(b),
            0,
          ),
        ),
        `${fmt(
          ratePerSecond(r.push.load.ackedAtKill * c.batch, r.push.load),
        )}/s`,
        secs(r.push.restartMs),
      ]),
    },
    {
      caption: `GitHub deployment_status deliveries through the events backend (/api/events/http/github), ${
        c.webhookClients
      } senders, SIGKILL at ${c.killShare * 100}% answered`,
      header: [
        'database',
        'planned',
        'sent before the kill',
        'answered 2xx',
        'answered 2xx, not stored',
        'twice',
        'stored without 2xx',
        `after ${c.resends} redeliveries`,
        'stored after the retries',
        '5xx answers',
        'restart to ready',
      ],
      rows: ranHooks.map(r => [
        r.label,
        fmt(r.deliveries.count),
        fmt(r.hooks.load.acked.size + r.hooks.load.unacked.size),
        fmt(r.hooks.load.acked.size),
        fmt(r.hooks.audit.lost),
        fmt(r.hooks.audit.twice),
        fmt(r.hooks.audit.storedWithoutAck),
        r.hooks.rounds.map(x => fmt(x.counts.webhookDeployments)).join(', '),
        fmt(r.hooks.final.stored),
        fmt(
          Object.values(refusals(r.hooks)).reduce(
            (n, b) => n + serverErrors(b),
            0,
          ),
        ),
        secs(r.hooks.restartMs),
      ]),
    },
    {
      caption:
        "Which path each provider's webhooks take (none has an inbox: each is handled inside its request)",
      header: [
        'provider',
        'endpoint',
        'path to the store',
        'answered',
        'stored before the answer',
      ],
      rows: [
        [
          'GitHub',
          '/api/events/http/github (signature: events.modules.github.webhookSecret)',
          'events backend HTTP ingress → GithubEventRouter (github.<X-GitHub-Event>) → our GitHub module → push validation and ingest',
          '202 after our handler returned',
          'yes when the handler succeeds; a handler error is logged and still answered 202',
        ],
        [
          'GitLab',
          '/api/events/http/gitlab (token: events.modules.gitlab.webhookSecret)',
          'events backend HTTP ingress → GitlabEventRouter (gitlab.<object_kind>) → our GitLab module → ingest',
          '202 after our handler returned',
          'as GitHub',
        ],
        [
          'PagerDuty',
          '/api/events/http/pagerduty (ingress added by our module; signature: devopsMaturity.pagerduty.webhookSecrets)',
          'events backend HTTP ingress → our PagerDuty module → ingest',
          '202 after our handler returned',
          'as GitHub',
        ],
        [
          'Push API (CI, scripts)',
          '/api/devops-maturity/deployments, /incidents',
          'our router → validation → one transaction per batch',
          '200 after the commit',
          'yes; a failure answers 4xx/5xx',
        ],
      ],
    },
  ];
}

export function notesOf(results, c) {
  const notes = [
    `Each database: the real backend (\`yarn workspace backend start --config ../../app-config.yaml --config <temp>\`; the temp config sets its own port, the database, \`devopsMaturity.demo.seed: false\`) in its own process group, the demo catalog and push token. Push phase: ${
      c.clients
    } clients push batches of ${
      c.batch
    } deployments (1-3 commits each, the demo Components, the last 30 days, seed ${
      c.seed
    }); in the instant the ${
      c.killShare * 100
    }%-th batch is acknowledged, the whole group (yarn, the dev server's watcher, the backend) gets SIGKILL; the backend starts again on the same database, which is counted directly (dm_deployments by source and external_id, dm_entity_changes). Webhook phase, on the restarted backend: ${
      c.webhookClients
    } senders of signed GitHub deployment_status deliveries (GitHub's example payload, a unique X-GitHub-Delivery and deployment id each), SIGKILL at ${
      c.killShare * 100
    }% answered, restart, count (dm_deployments of source github, dm_deliveries).`,
    'Acknowledged means a whole 200 (push) or 2xx (webhook) answer reached the client, answers already on the wire when the kill came included; a request broken by the kill is unacknowledged and may or may not be stored, which is allowed and counted. The kill point is a count, not a time; the data comes from fixed seeds, the ids carry the run.',
    "SQLite: a file per plugin (`backend.database.connection.directory`), the plugin's in WAL mode with synchronous=FULL. PostgreSQL: fresh databases per run (`backend.database.prefix`), dropped afterwards. The PostgreSQL servers used here (local and CI) run with fsync=off: the probe kills the backend process while the database server keeps running, so it says nothing of an operating-system crash or power loss, which it does not test.",
    "The events backend (@backstage/plugin-events-backend 0.6.6 with events-node 0.4.26) answers a webhook 202 only after `events.publish` returned, and publish awaits every subscriber in this process (GithubEventRouter, then our module, which stores the deployment and then remembers the delivery id before returning). So a delivery answered 2xx was stored before the answer, and a crash before the answer leaves it unanswered: the sender sees a failure. The event bus (`/api/events/bus/v1`; a table on PostgreSQL, memory on SQLite) keeps an event only for subscriptions that were not notified in the process that took it; ours always is, so the bus stores nothing for it and is no inbox (it serves other replicas' subscribers, and marks events read before they are handled).",
    'Not measured by a crash, but in the code: a delivery whose handling fails (the database unreachable, a bug) is still answered 202, because our modules catch and log the error ("Could not take GitHub event ...") and the events backend\'s local bus catches subscriber errors too. Such a delivery is lost: GitHub does not redeliver a 2xx, GitLab and PagerDuty retry only non-2xx answers. The crash figures are 0 because a crash stops the answer as well.',
    "Inbox, for a decision (not built): (1) a table `dm_webhook_inbox` (source, delivery_id, topic, the headers the mapping reads, payload text, received_at, attempts, next_attempt_at, last_error; unique (source, delivery_id), taking over from dm_deliveries) in a new migration of plugins/devops-maturity-backend; (2) `DoraEventSink.enqueue(delivery)` in devops-maturity-node, which each source module's `onEvent` calls instead of handling inline; (3) a scheduled task `devops-maturity-webhook-inbox` (scope global; rows claimed with FOR UPDATE SKIP LOCKED on PostgreSQL) that runs today's handlers and marks a row handled in the same transaction as its writes, with backoff and a dead-letter state after N attempts. That turns failed handlers into retries. A failed inbox insert would still be answered 202 through the events backend (its local bus swallows the error); to answer 5xx then, the modules would need their own signed endpoints (e.g. /api/devops-maturity/webhooks/{github,gitlab,pagerduty}) that answer 202 only after the insert commits.",
    'GitHub never redelivers a failed delivery by itself (only "Redeliver" in its UI or API): the probe sends the unanswered deliveries again, as an operator would; they are then taken once (dm_deliveries by X-GitHub-Delivery).',
  ];
  for (const r of results) {
    if (r.skipped) notes.push(`${r.label}: skipped: ${r.skipped}.`);
    if (r.error) notes.push(`${r.label}: the run failed: ${r.error}.`);
    for (const [cause, n] of Object.entries(r.internalErrors ?? {}))
      notes.push(
        `${r.label}: ${n} answers 500, cause in the backend log: ${cause}.`,
      );
    if (r.warnings)
      notes.push(
        `${r.label}: the backend logged ${r.warnings} webhook handling failures (each answered 202 all the same).`,
      );
    if (r.devServerRestarts)
      notes.push(
        `${r.label}: the dev server restarted the backend ${r.devServerRestarts} times by itself (a file it had loaded changed while the probe ran), so this database's figures prove nothing; run the probe again with the tree unchanged.`,
      );
    const liars = r.push?.audit?.unacked.refusedButStored;
    if (liars)
      notes.push(
        `${r.label}: ${liars} push batches were answered 5xx and yet stored whole: the error came after the batch's transaction had committed, so the client was told to retry something that had worked (harmless only because a resend is idempotent).`,
      );
    for (const [phase, name] of [
      [r.push, 'push'],
      [r.hooks, 'webhook'],
    ]) {
      if (!phase?.load) continue;
      const errors = [
        ...phase.load.errors,
        ...(phase.rounds ?? []).flatMap(x => x.answers.errors),
        ...(phase.retries ?? []).flatMap(x => x.errors),
      ].map(e => e.replace(/\s+/g, ' '));
      if (errors.length && !Object.keys(r.internalErrors ?? {}).length)
        notes.push(
          `${r.label}, ${name} phase: error answers: ${errors
            .slice(0, 3)
            .map(e => e.slice(0, 200))
            .join(' | ')}`,
        );
      const reasons = {};
      for (const why of phase.load.unacked.values())
        reasons[why] = (reasons[why] ?? 0) + 1;
      if (Object.keys(reasons).length)
        notes.push(
          `${
            r.label
          }, ${name} phase: how the unacknowledged requests ended: ${JSON.stringify(
            reasons,
          )}.`,
        );
    }
  }
  return notes;
}
