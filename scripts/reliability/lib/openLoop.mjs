// An open-loop load generator: requests start at a fixed rate whatever the answers do, as 500
// pipelines finishing at once would send them. A closed loop (N clients, each waiting for its
// answer) slows down with the server and hides its stalls; here a request's latency runs from
// the instant it was due, so a stall counts for every request it delayed.
import http from 'node:http';

/**
 * Sends `rate` requests a second for `seconds`, `request(i)` giving the i-th one as
 * `{ port, method, path, body?, headers? }`. Resolves, once every answer is in, with each
 * request's latency from its due time (ms), its status (0 when it got no answer) and, for the
 * first failures, why.
 */
export async function openLoop({ rate, seconds, request, timeoutMs = 10_000 }) {
  const total = Math.round(rate * seconds);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies = new Float64Array(total);
  const statuses = new Uint16Array(total);
  const failures = [];
  const start = performance.now() + 20;
  const pending = [];
  let next = 0;
  await new Promise(resolve => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / rate <= now) {
        const i = next++;
        const due = start + (i * 1000) / rate;
        pending.push(
          send(agent, request(i), timeoutMs).then(({ status, text }) => {
            latencies[i] = performance.now() - due;
            statuses[i] = status;
            if ((status < 200 || status >= 300) && failures.length < 10)
              failures.push(`${status || 'no answer'}: ${text.slice(0, 200)}`);
          }),
        );
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  // The requests answered 2xx, over the time from the first's due time to the last 2xx
  // answer: what the server sustained (a timeout is no answer).
  let lastAnswerMs = 0;
  let answered = 0;
  for (let i = 0; i < total; i++) {
    if (statuses[i] < 200 || statuses[i] >= 300) continue;
    answered++;
    lastAnswerMs = Math.max(lastAnswerMs, (i * 1000) / rate + latencies[i]);
  }
  return {
    rate,
    seconds,
    answeredPerSecond: lastAnswerMs > 0 ? (answered * 1000) / lastAnswerMs : 0,
    latencies: [...latencies],
    statuses: [...statuses],
    failures,
  };
}

/** One request; resolves with status 0 and the reason when no whole answer came. */
function send(agent, { port, method = 'GET', path, body, headers }, timeoutMs) {
  return new Promise(resolve => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: body
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              ...headers,
            }
          : headers,
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('error', e => resolve({ status: 0, text: String(e) }));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // From now (the request's due time), not from when a socket frees up: a request that
    // waits in the agent's queue past its deadline is a timeout too.
    const deadline = setTimeout(
      () => req.destroy(new Error('timeout')),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('error', e => resolve({ status: 0, text: e.message }));
    req.end(body);
  });
}

/** p50, p95, p99 and max of the latencies (ms), and how many answers were not 2xx, and why. */
export function summarize({ latencies, statuses, answeredPerSecond }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = q =>
    sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
      : NaN;
  return {
    requests: statuses.length,
    answeredPerSecond,
    errors: statuses.filter(s => s < 200 || s >= 300).length,
    /** Requests without an answer: timed out, or the connection broke. */
    timeouts: statuses.filter(s => s === 0).length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1) ?? NaN,
  };
}
