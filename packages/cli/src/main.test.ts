import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { run } from './main';
import { TestRepo } from './__testUtils__/gitRepo';

describe('run', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo();
    repo.commit('c1', '2026-06-01T08:00:00Z');
  });
  afterAll(() => repo.remove());

  async function cli(args: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await run(['node', 'devops-maturity', ...args], {
      env,
      stdout: t => (stdout += t),
      stderr: t => (stderr += t),
      sleep: async () => {},
    });
    return { code, stdout, stderr };
  }

  /** A port nothing listens on: a server that was started and closed. */
  async function closedPort() {
    const server = createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise(resolve => server.close(resolve));
    return port;
  }

  it('exits 1 when the backend cannot be reached, naming the last problem', async () => {
    const port = await closedPort();
    const result = await cli(
      [
        'deployment',
        '--entity',
        'x',
        '--env',
        'production',
        '--id',
        'd1',
        '--retries',
        '1',
      ],
      {
        DEVOPS_MATURITY_URL: `http://127.0.0.1:${port}`,
        DEVOPS_MATURITY_TOKEN: 't',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed after 2 attempt(s): ECONNREFUSED');
    expect(result.stdout).toBe('');
  });

  it('prints how to report again when the push is not delivered, and exits 1', async () => {
    // The base answers; every push gets 503.
    const server = createServer((req, res) => {
      const base = req.method === 'GET';
      res.writeHead(base ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          base
            ? {
                entityRef: 'component:default/checkout-api',
                previous: null,
                stored: null,
              }
            : { error: { message: 'restarting' } },
        ),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await cli(
      [
        'deployment',
        '--entity',
        'checkout-api',
        '--env',
        'production',
        '--id',
        'd1',
        '--finished-at',
        '2026-06-01T09:00:00Z',
        '--repo',
        repo.dir,
        '--retries',
        '1',
      ],
      {
        DEVOPS_MATURITY_URL: `http://127.0.0.1:${port}`,
        DEVOPS_MATURITY_TOKEN: 't',
      },
    );
    await new Promise(resolve => server.close(resolve));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "not delivered; to report it again later, run the same command with --id 'd1' --finished-at 2026-06-01T09:00:00.000Z",
    );
    expect(result.stderr).toContain(
      '"entityRef":"component:default/checkout-api"',
    );
    expect(result.stderr).toContain(
      'failed after 2 attempt(s): 503 restarting',
    );
  });

  it('exits 2, naming what is missing, without URL or token', async () => {
    const noUrl = await cli(['incident', 'open', '--id', 'i', '--entity', 'x']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('DEVOPS_MATURITY_URL is not set');
    const noToken = await cli(
      ['incident', 'open', '--id', 'i', '--entity', 'x'],
      {
        DEVOPS_MATURITY_URL: 'http://localhost:7007',
      },
    );
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('DEVOPS_MATURITY_TOKEN is not set');
  });

  it('exits 0 on --help and 2 on an unknown option, with the usage', async () => {
    const help = await cli(['deployment', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--entity <ref>');
    const unknown = await cli([
      'deployment',
      '--entity',
      'x',
      '--colour',
      'red',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--colour'");
  });

  it('prints the payload on --dry-run without a backend', async () => {
    const dry = await cli([
      'incident',
      'open',
      '--id',
      'INC-1',
      '--entity',
      'checkout-api',
      '--opened-at',
      '2026-06-01T09:00:00+02:00',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      items: [
        {
          id: 'INC-1',
          source: 'cli',
          entityRef: 'component:default/checkout-api',
          openedAt: '2026-06-01T07:00:00.000Z',
        },
      ],
    });
  });
});
