import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { apiBaseOf, backoffMs, BackendClient } from './client';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server answering each request with the next handler, counting requests. */
async function serve(handlers: Handler[]) {
  const seen: Array<{ method?: string; url?: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body });
      const handler = handlers[Math.min(seen.length, handlers.length) - 1];
      handler(req, res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/devops-maturity`,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const stored = { accepted: 1, updated: 0, unmatched: 0, stale: 0 };

function client(apiBase: string, waits: number[], retries = 3) {
  const lines: string[] = [];
  return {
    lines,
    client: new BackendClient({
      apiBase,
      token: 'ci-token',
      retries,
      timeoutMs: 2000,
      sleep: async ms => {
        waits.push(ms);
      },
      log: line => lines.push(line),
    }),
  };
}

describe('BackendClient', () => {
  it('retries 5xx and 429, honouring Retry-After, and sends the same body each time', async () => {
    const server = await serve([
      json(503, { error: { name: 'Error', message: 'restarting' } }),
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '7' }),
      json(200, stored),
    ]);
    const waits: number[] = [];
    const { client: c, lines } = client(server.url, waits);
    await expect(c.push('deployments', { id: 'd1' })).resolves.toEqual(stored);
    await server.close();
    expect(server.seen).toHaveLength(3);
    expect(new Set(server.seen.map(s => s.body))).toEqual(
      new Set(['{"items":[{"id":"d1"}]}']),
    );
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[0]).toBeLessThanOrEqual(1000);
    expect(waits[1]).toBe(7000);
    expect(lines[0]).toMatch(
      /503 restarting; retrying in 1 s \(attempt 2 of 4\)/,
    );
  });

  it('never retries a 4xx: exit 3 with the backend message and a hint', async () => {
    const server = await serve([
      json(403, {
        error: { name: 'NotAllowedError', message: 'Not allowed: x' },
      }),
    ]);
    const waits: number[] = [];
    const { client: c } = client(server.url, waits);
    await expect(c.push('deployments', {})).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(
        /refused: 403 Not allowed: x \(the token needs the devops-maturity.events.create permission\)/,
      ),
    });
    await server.close();
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after the retries with exit 1, naming the last problem', async () => {
    const server = await serve([json(502, 'bad gateway')]);
    const waits: number[] = [];
    const { client: c } = client(server.url, waits, 2);
    await expect(c.push('incidents', {})).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('failed after 3 attempt(s): 502'),
    });
    await server.close();
    expect(server.seen).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('retries a refused connection, then gives up with exit 1', async () => {
    const server = await serve([json(200, stored)]);
    await server.close();
    const waits: number[] = [];
    const { client: c } = client(server.url, waits, 1);
    await expect(c.push('deployments', {})).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(waits).toHaveLength(1);
  });

  it('sends the token as a bearer token', async () => {
    let authorization: string | undefined;
    const server = await serve([
      (req, res) => {
        authorization = req.headers.authorization;
        json(200, stored)(req, res);
      },
    ]);
    await client(server.url, []).client.push('deployments', {});
    await server.close();
    expect(authorization).toBe('Bearer ci-token');
  });
});

describe('apiBaseOf', () => {
  it('takes the backend base URL or the plugin URL', () => {
    expect(apiBaseOf('https://backstage.example.com/')).toBe(
      'https://backstage.example.com/api/devops-maturity',
    );
    expect(apiBaseOf('http://localhost:7007/api/devops-maturity')).toBe(
      'http://localhost:7007/api/devops-maturity',
    );
    expect(() => apiBaseOf('localhost:7007')).toThrow(/http or https/);
    expect(() => apiBaseOf('not a url')).toThrow(/is not a URL/);
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s to at most 30 s, jittered down by up to half', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(a => backoffMs(a, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffMs(0, () => 1)).toBe(500);
  });
});
