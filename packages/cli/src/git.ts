import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { usageError } from './errors';

/** A change a deployment brings, as the push API takes it. */
export interface Commit {
  sha: string;
  /** The committer date, ISO-8601 with the committer's offset. */
  committedAt: string;
}

/** What a deployment of `head` brings, and whether that is every change. */
export interface ChangeSet {
  /** The deployed commit's full sha. */
  head: string;
  /** Newest first, as `git log` lists them. */
  commits: Commit[];
  /** False when some changes may be missing: the deployment counts as partial coverage. */
  complete: boolean;
  /** Why it is partial, or what was done to make it complete, for the log. */
  notes: string[];
}

/** The push API takes up to this many commits per deployment. */
export const MAX_COMMITS = 10_000;

/** Deepening steps for a shallow clone before fetching the whole history. */
const DEEPEN_STEPS = [100, 1000];

/** A fetch that waits for credentials would hang the pipeline: git is told never to ask. */
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

export class Git {
  constructor(
    private readonly cwd: string,
    private readonly fetchTimeoutMs = 120_000,
  ) {}

  run(args: string[], timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        {
          cwd: this.cwd,
          env: GIT_ENV,
          maxBuffer: 256 * 1024 * 1024,
          timeout: timeoutMs,
        },
        (error, stdout, stderr) => {
          if (error) {
            // Every line: git puts the reason first and a hint (safe.directory, ...) after it.
            const detail = String(stderr)
              .trim()
              .split('\n')
              .slice(0, 8)
              .join(' ');
            reject(new Error(detail || error.message));
          } else resolve(String(stdout));
        },
      );
    });
  }

  private async succeeds(args: string[]): Promise<boolean> {
    try {
      await this.run(args);
      return true;
    } catch {
      return false;
    }
  }

  /** The full sha of a revision, or a usage error naming it. */
  async resolve(revision: string): Promise<string> {
    try {
      return (
        await this.run(['rev-parse', '--verify', `${revision}^{commit}`])
      ).trim();
    } catch (e) {
      throw usageError(
        `git: cannot read revision '${revision}' in ${this.cwd}: ${
          (e as Error).message
        } (run the command in the deployed repository's checkout, or pass --repo)`,
      );
    }
  }

  hasCommit(sha: string): Promise<boolean> {
    return this.succeeds(['cat-file', '-e', `${sha}^{commit}`]);
  }

  async isShallow(): Promise<boolean> {
    return (
      (await this.run(['rev-parse', '--is-shallow-repository'])).trim() ===
      'true'
    );
  }

  /** The commits whose parents a shallow clone does not have. */
  async shallowBoundary(): Promise<Set<string>> {
    const path = (
      await this.run(['rev-parse', '--git-path', 'shallow'])
    ).trim();
    const file = isAbsolute(path) ? path : join(this.cwd, path);
    if (!existsSync(file)) return new Set();
    return new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));
  }

  /** `git log` of a range or a single commit, newest first. */
  async log(range: string[], maxCount?: number): Promise<Commit[]> {
    const args = ['log', '--format=%H%x09%cI'];
    if (maxCount !== undefined) args.push(`--max-count=${maxCount}`);
    const out = await this.run([...args, ...range, '--']);
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [sha, committedAt] = line.split('\t');
        return { sha, committedAt };
      });
  }

  /** The configured remotes; a fetch without one does nothing and still succeeds. */
  async remotes(): Promise<string[]> {
    return (await this.run(['remote'])).split('\n').filter(Boolean);
  }

  fetch(args: string[]): Promise<string> {
    return this.run(['fetch', '--quiet', ...args], this.fetchTimeoutMs);
  }
}

/**
 * The commits `head` brings since `base` (the previous production deployment's sha): every
 * commit `head` contains that `base` does not, `git log base..head`. Without a base, the
 * deployed commit alone, marked partial.
 *
 * The walk is complete only when `base` is in the clone and no listed commit sits on a shallow
 * clone's boundary (its parents unknown). Otherwise a shallow clone is deepened (100, then 1,000
 * more commits, then the whole history) and a base the clone lacks is fetched by sha; where that
 * fails (no remote, no credentials) the commits that are known are sent, marked partial.
 */
export async function changeSet(
  git: Git,
  options: { head: string; base?: string },
): Promise<ChangeSet> {
  const head = await git.resolve(options.head);
  const notes: string[] = [];
  const { base } = options;
  if (!base) {
    const commits = await git.log([head], 1);
    return { head, commits, complete: false, notes };
  }

  const walk = async () => {
    if (!(await git.hasCommit(base)))
      return { commits: [] as Commit[], complete: false, baseFound: false };
    const commits = await git.log([`${base}..${head}`]);
    const boundary = await git.shallowBoundary();
    const cut = commits.some(c => boundary.has(c.sha));
    return { commits, complete: !cut, baseFound: true };
  };

  let result = await walk();
  const remotes = await git.remotes();
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];
  const hasRemote = remote !== undefined;
  if (!result.complete && (await git.isShallow())) {
    if (!hasRemote)
      notes.push('the shallow clone has no remote to deepen it from');
    for (const step of hasRemote ? [...DEEPEN_STEPS, undefined] : []) {
      const args = step ? [`--deepen=${step}`] : ['--unshallow'];
      const boundary = [...(await git.shallowBoundary())].sort().join();
      try {
        await git.fetch([...args, remote!]);
      } catch (e) {
        notes.push(
          `could not deepen the shallow clone (git fetch ${args[0]}): ${
            (e as Error).message
          }`,
        );
        break;
      }
      if ([...(await git.shallowBoundary())].sort().join() === boundary) {
        notes.push(`git fetch ${args[0]} fetched no more history`);
        break;
      }
      notes.push(`deepened the shallow clone (git fetch ${args[0]})`);
      result = await walk();
      if (result.complete || !(await git.isShallow())) break;
    }
  }
  if (!result.baseFound && hasRemote && !(await git.isShallow())) {
    // A complete clone may still lack the base: deployed from a branch this checkout did not
    // fetch. Git hosts answer a fetch by sha for commits they have.
    try {
      await git.fetch([remote, base]);
      notes.push(`fetched the previous deployment's commit ${base}`);
      result = await walk();
    } catch (e) {
      notes.push(
        `could not fetch the previous deployment's commit ${base}: ${
          (e as Error).message
        }`,
      );
    }
  }

  if (!result.baseFound) {
    notes.push(
      `the previous production deployment's commit ${base} is not in this clone: sending the deployed commit alone`,
    );
    return { head, commits: await git.log([head], 1), complete: false, notes };
  }
  if (!result.complete) {
    notes.push(
      'the clone is shallow and could not be deepened: sending the commits it has',
    );
  }
  if (result.commits.length > MAX_COMMITS) {
    notes.push(
      `${result.commits.length} commits since the previous production deployment: sending the newest ${MAX_COMMITS}`,
    );
    return {
      head,
      commits: result.commits.slice(0, MAX_COMMITS),
      complete: false,
      notes,
    };
  }
  return { head, commits: result.commits, complete: result.complete, notes };
}
