// What the probe sends: deployments for the push API and GitHub `deployment_status` deliveries,
// generated from fixed seeds so that a batch can be generated again, byte for byte, to resend
// it; and the HTTP clients that send them.
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './backend.mjs';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A small seeded PRNG (mulberry32): the same seed, the same numbers. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (random, length) => {
  let s = '';
  while (s.length < length)
    s += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, length);
};

/** A sha that is unique by construction (its first 12 digits count) and random after. */
const uniqueSha = (n, random) =>
  n.toString(16).padStart(12, '0') + hex(random, 28);

const iso = ms => new Date(ms).toISOString();

/**
 * The push API's deployments of one run: `batches` batches of `batchSize`, each deployment of a
 * demo Component with 1-3 commits, finished within the 30 days before `now`. Ids carry the run
 * id; everything else comes from the seed and the batch's index.
 */
export class DeploymentPlan {
  constructor({ runId, seed, components, events, batchSize, now, source }) {
    this.runId = runId;
    this.seed = seed;
    this.components = components;
    this.batchSize = batchSize;
    this.batches = Math.ceil(events / batchSize);
    this.events = events;
    this.now = now;
    this.source = source;
  }

  size(b) {
    return Math.min(this.batchSize, this.events - b * this.batchSize);
  }

  id(b, j) {
    return `${this.runId}-${b}-${j}`;
  }

  /** The JSON body of batch `b`: the same string every time it is asked for. */
  body(b) {
    const random = prng(this.seed + b * 7919);
    const items = [];
    for (let j = 0; j < this.size(b); j++) {
      const n = b * this.batchSize + j;
      const name =
        this.components[Math.floor(random() * this.components.length)];
      const finished = this.now - Math.floor(random() * 30 * DAY_MS);
      const commits = [];
      const count = 1 + Math.floor(random() * 3);
      for (let c = 0; c < count; c++) {
        commits.push({
          sha: uniqueSha(n * 3 + c, random),
          committedAt: iso(
            finished - MINUTE_MS * (10 + Math.floor(random() * 7200)),
          ),
        });
      }
      items.push({
        id: this.id(b, j),
        source: this.source,
        entityRef: `component:default/${name}`,
        environment: random() < 0.9 ? 'production' : 'staging',
        status: random() < 0.9 ? 'success' : 'failure',
        startedAt: iso(finished - MINUTE_MS * (1 + Math.floor(random() * 20))),
        finishedAt: iso(finished),
        commits,
      });
    }
    return JSON.stringify({ items });
  }
}

/** GitHub's example `deployment_status` payload (success), as the GitHub module's tests use. */
function deploymentStatusTemplate() {
  // A dev dependency of the GitHub module: resolved from there, as its tests do.
  const require = createRequire(
    path.join(
      ROOT,
      'plugins/devops-maturity-backend-module-github/package.json',
    ),
  );
  const examples = require('@octokit/webhooks-examples');
  return examples
    .find(e => e.name === 'deployment_status')
    .examples.find(e => e.deployment_status.state === 'success');
}

/**
 * Signed GitHub `deployment_status` deliveries of one run, one successful production
 * deployment each, of the demo Components' repositories (`github.com/project-slug`).
 */
export class DeliveryPlan {
  constructor({ runId, seed, repositories, count, now, secret, idBase }) {
    this.runId = runId;
    this.seed = seed;
    this.repositories = repositories;
    this.count = count;
    this.now = now;
    this.secret = secret;
    this.idBase = idBase;
    this.template = deploymentStatusTemplate();
  }

  /** GitHub's deployment id of delivery `i`: what the plugin stores as the external id. */
  deploymentId(i) {
    return this.idBase + i;
  }

  deliveryId(i) {
    const random = prng(this.seed + i * 104729);
    const h = hex(random, 24);
    // uuid-shaped, as GitHub's X-GitHub-Delivery; unique by the run and the index
    return `${this.runId.slice(-8).padStart(8, '0')}-${h.slice(0, 4)}-${h.slice(
      4,
      8,
    )}-${h.slice(8, 12)}-${i.toString(16).padStart(12, '0')}`;
  }

  /** The request of delivery `i`: its body and headers, signed with the demo's secret. */
  request(i) {
    const random = prng(this.seed + i * 104729 + 1);
    const repo =
      this.repositories[Math.floor(random() * this.repositories.length)];
    const finished = this.now - Math.floor(random() * 30 * DAY_MS);
    const created = finished - MINUTE_MS * (1 + Math.floor(random() * 20));
    const t = this.template;
    const sha = uniqueSha(i, random);
    const payload = {
      ...t,
      deployment_status: {
        ...t.deployment_status,
        state: 'success',
        environment: 'production',
        created_at: iso(finished),
        updated_at: iso(finished),
      },
      deployment: {
        ...t.deployment,
        id: this.deploymentId(i),
        sha,
        ref: 'main',
        environment: 'production',
        payload: {},
        created_at: iso(created),
        updated_at: iso(finished),
      },
      repository: {
        ...t.repository,
        name: repo.split('/')[1],
        full_name: repo,
        html_url: `https://github.com/${repo}`,
      },
    };
    const body = JSON.stringify(payload);
    const signature = crypto
      .createHmac('sha256', this.secret)
      .update(body)
      .digest('hex');
    return {
      body,
      headers: {
        'x-github-event': 'deployment_status',
        'x-github-delivery': this.deliveryId(i),
        'x-hub-signature-256': `sha256=${signature}`,
        'user-agent': 'GitHub-Hookshot/crash-probe',
      },
    };
  }
}

/**
 * POSTs `body` to the backend. Resolves with the status and text of a complete answer; rejects
 * when the connection breaks before the answer is whole (the backend was killed).
 */
export function post(agent, port, urlPath, body, headers, timeoutMs = 300_000) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('error', reject);
        res.on('close', () => {
          if (res.complete)
            resolve({
              status: res.statusCode,
              text: Buffer.concat(chunks).toString(),
            });
          else reject(new Error('the answer broke off'));
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work(index)` for indices from `next()` on `clients` concurrent workers. */
export async function pool(clients, next, work) {
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next(); i !== undefined; i = next()) await work(i);
    }),
  );
}

/** A short reason for a failed request: the error's code or message. */
export const reasonOf = error => error?.code ?? error?.message ?? String(error);
