// The real backend of this repository (packages/backend, as the demo runs it) as a child process
// in its own process group, so that a SIGKILL takes the dev server's watcher and its backend
// child at once, as a crashed container would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Ports a running demo may hold: never used here, whatever is asked. */
const RESERVED_PORTS = new Set([3000, 7007]);

/**
 * Resolves once `check()` gives a truthy value (which it returns); rejects after `timeoutMs`
 * with `what` in the message, or at once when `failed()` names a reason to give up.
 */
export async function waitFor(what, check, options) {
  const { timeoutMs, intervalMs = 200, failed = () => undefined } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(`${what}: ${reason}`);
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${Math.round(timeoutMs / 1000)} s${
          lastError ? ` (last error: ${lastError.message ?? lastError})` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** The first port from `from` that nothing listens on, skipping the demo's. */
export async function freePort(from) {
  for (let port = from; port < from + 100; port++) {
    if (RESERVED_PORTS.has(port)) continue;
    const free = await new Promise(resolve => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port from ${from} to ${from + 99}`);
}

/** Pids of the live (not zombie) processes of process group `pgid`, from /proc. */
export function liveProcessesOfGroup(pgid) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z')
      pids.push(Number(entry));
  }
  return pids;
}

/** The yarn release committed in .yarn/releases, run with this Node: no PATH needed. */
function yarnRelease() {
  const dir = path.join(ROOT, '.yarn/releases');
  const found = fs.readdirSync(dir).find(f => /^yarn-.*\.cjs$/.test(f));
  if (!found) throw new Error(`No yarn release in ${dir}`);
  return path.join(dir, found);
}

/** Every backend started here, for the cleanup on any exit. */
export const started = new Set();

/** GET `path` on the backend; resolves with the status, never rejects on HTTP errors. */
export function get(port, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers, agent: false },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export class Backend {
  /**
   * Starts `yarn workspace backend start` with the demo's app-config.yaml and `configPath` on
   * top. `backstage-cli package start` runs the backend in packages/backend and hands it the
   * --config arguments as given, so the demo's file is named from there and ours absolutely.
   */
  static start({ name, configPath, logPath, port }) {
    const log = fs.openSync(logPath, 'a');
    const child = spawn(
      process.execPath,
      [
        yarnRelease(),
        'workspace',
        'backend',
        'start',
        '--config',
        '../../app-config.yaml',
        '--config',
        path.resolve(configPath),
      ],
      {
        cwd: ROOT,
        detached: true, // its own process group, led by this child
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          // The demo's token and secrets are refused in production: this is the dev server.
          NODE_ENV: 'development',
          FORCE_COLOR: '0',
          NO_COLOR: '1',
        },
      },
    );
    fs.closeSync(log);
    return new Backend(name, child, port, logPath);
  }

  constructor(name, child, port, logPath) {
    this.name = name;
    this.child = child;
    this.pgid = child.pid;
    this.port = port;
    this.logPath = logPath;
    this.spawnedAt = Date.now();
    this.exitCode = undefined;
    this.exited = new Promise(resolve =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? signal;
        resolve();
      }),
    );
    started.add(this);
  }

  /** Waits for `/.backstage/health/v1/readiness` to answer 200; returns the ms since spawn. */
  async waitReady(timeoutMs) {
    await waitFor(
      `${this.name}: readiness`,
      async () =>
        (await get(this.port, '/.backstage/health/v1/readiness')).status ===
        200,
      {
        timeoutMs,
        intervalMs: 250,
        failed: () =>
          this.exitCode !== undefined
            ? `the backend exited (${this.exitCode}); see ${this.logPath}`
            : undefined,
      },
    );
    return Date.now() - this.spawnedAt;
  }

  /** SIGKILL to the whole group, at once (synchronously: no request is answered after it). */
  kill() {
    try {
      process.kill(-this.pgid, 'SIGKILL');
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  }

  /**
   * Waits for the group to be gone (the yarn child reaped, the others reparented and reaped);
   * returns the pids still alive after `timeoutMs`, which should be none.
   */
  async waitGone(timeoutMs) {
    await this.exited;
    try {
      await waitFor(
        `${this.name}: process group ${this.pgid} gone`,
        () => liveProcessesOfGroup(this.pgid).length === 0,
        { timeoutMs, intervalMs: 100 },
      );
    } catch {
      // reported by the caller from what is left
    }
    started.delete(this);
    return liveProcessesOfGroup(this.pgid);
  }

  /** The log's last lines, for a failure's report. */
  tail(lines = 30) {
    try {
      return fs
        .readFileSync(this.logPath, 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }
}
