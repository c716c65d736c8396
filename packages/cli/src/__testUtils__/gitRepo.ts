import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real git repository in a temporary directory, with commits at chosen committer times. */
export class TestRepo {
  readonly dir: string;

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'devops-maturity-cli-'));
    if (!dir) {
      this.git('init', '--quiet', '--initial-branch=main');
      this.git('config', 'user.email', 'dev@example.com');
      this.git('config', 'user.name', 'Dev');
      this.git('config', 'commit.gpgsign', 'false');
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** A commit changing one file, committed (and authored) at `at`; its full sha. */
  commit(message: string, at: string): string {
    writeFileSync(join(this.dir, 'changes.txt'), `${message}\n`, { flag: 'a' });
    this.git('add', 'changes.txt');
    execFileSync('git', ['commit', '--quiet', '-m', message], {
      cwd: this.dir,
      env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at },
    });
    return this.git('rev-parse', 'HEAD');
  }

  /** A clone of this repository with `depth` commits, through file:// so that depth applies. */
  shallowClone(depth: number): TestRepo {
    const target = mkdtempSync(join(tmpdir(), 'devops-maturity-cli-clone-'));
    execFileSync('git', [
      'clone',
      '--quiet',
      `--depth=${depth}`,
      `file://${this.dir}`,
      target,
    ]);
    return new TestRepo(target);
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
