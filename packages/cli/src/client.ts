import { CliError, ExitCode } from './errors';

/** The answer of a push (`POST /deployments`, `POST /incidents`). */
export interface IngestResult {
  accepted: number;
  updated: number;
  unmatched: number;
  stale: number;
}

export interface ClientOptions {
  /** The plugin's API, e.g. `https://backstage.example.com/api/devops-maturity`. */
  apiBase: string;
  token: string;
  /** Attempts after the first, on network errors, 408, 429 and 5xx. */
  retries: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Waits between attempts; tests pass one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Where progress goes (stderr in the command). */
  log: (line: string) => void;
}

const API_PATH = '/api/devops-maturity';

/**
 * The plugin's API from what a user configures: the Backstage backend's base URL
 * (`https://backstage.example.com`), or the plugin's own (`.../api/devops-maturity`).
 */
export function apiBaseOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      `DEVOPS_MATURITY_URL: '${url}' is not a URL (e.g. https://backstage.example.com)`,
      ExitCode.Usage,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(
      `DEVOPS_MATURITY_URL: '${url}' must be an http or https URL`,
      ExitCode.Usage,
    );
  }
  const base = url.replace(/\/+$/, '');
  return base.endsWith(API_PATH) ? base : `${base}${API_PATH}`;
}

/** 408 and 429 say "later"; every 5xx may be a restart or a proxy in between. */
const retryable = (status: number) =>
  status === 408 || status === 429 || status >= 500;

/** 1 s, 2 s, 4 s, ... up to 30 s, each with up to half of it taken off at random. */
export function backoffMs(attempt: number, random = Math.random): number {
  const full = Math.min(30_000, 1000 * 2 ** attempt);
  return Math.round(full * (1 - random() / 2));
}

/** A Retry-After of seconds, capped at a minute; undefined when absent or a date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined;
  return Math.min(60_000, Number(header.trim()) * 1000);
}

/** Backstage answers errors as `{ error: { name, message } }`. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: the text itself, below
  }
  return text.slice(0, 500) || response.statusText;
}

/**
 * The plugin's push API over the built-in fetch. Every request may be retried: pushes are
 * idempotent by (source, id), so a push the backend stored but whose answer was lost changes
 * nothing when repeated.
 */
export class BackendClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
    const { apiBase, token, retries, timeoutMs, log } = this.options;
    const url = `${apiBase}${path}`;
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      let waitMs: number | undefined;
      try {
        const response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.ok) return (await response.json()) as T;
        const message = await errorMessage(response);
        if (!retryable(response.status)) {
          throw new CliError(
            `${method} ${url} was refused: ${response.status} ${message}${hint(
              response.status,
            )}`,
            ExitCode.Refused,
          );
        }
        problem = `${response.status} ${message}`;
        waitMs = retryAfterMs(response.headers.get('retry-after'));
      } catch (e) {
        if (e instanceof CliError) throw e;
        problem = describeFetchError(e);
      }
      if (attempt >= retries) {
        throw new CliError(
          `${method} ${url} failed after ${attempt + 1} attempt(s): ${problem}`,
          ExitCode.NotDelivered,
        );
      }
      const delay = waitMs ?? backoffMs(attempt);
      log(
        `${method} ${url}: ${problem}; retrying in ${Math.ceil(
          delay / 1000,
        )} s (attempt ${attempt + 2} of ${retries + 1})`,
      );
      await this.sleep(delay);
    }
  }

  push(kind: 'deployments' | 'incidents', item: unknown) {
    return this.request<IngestResult>('POST', `/${kind}`, { items: [item] });
  }
}

function hint(status: number): string {
  if (status === 401)
    return ' (is DEVOPS_MATURITY_TOKEN one of the backend.auth.externalAccess tokens?)';
  if (status === 403)
    return ' (the token needs the devops-maturity.events.create permission)';
  if (status === 404)
    return ' (is the devops-maturity backend installed at this URL, and this version of it?)';
  return '';
}

function describeFetchError(e: unknown): string {
  const error = e as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return 'no answer in time';
  const cause = error?.cause;
  return cause?.code ?? cause?.message ?? error?.message ?? String(e);
}
