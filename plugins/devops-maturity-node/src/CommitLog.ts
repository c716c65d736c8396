/** A commit and when it was made, as the push API takes it. @public */
export interface Commit {
  sha: string;
  committedAt: string;
}

/**
 * For source modules whose deployment events name only the deployed sha (GitHub, GitLab):
 * the commits pushed to each repository and not deployed yet, in push order, so that a
 * deployment of sha X can report every commit up to X with its commit time. Kept in memory:
 * after a restart, deployments report the commits pushed since. Bounded per repository.
 */
/** @public */
export class CommitLog {
  private readonly pending = new Map<string, Commit[]>();

  constructor(private readonly maxPerRepository = 5000) {}

  add(repository: string, commits: Commit[]) {
    const list = this.pending.get(repository) ?? [];
    for (const c of commits) if (!list.some(p => p.sha === c.sha)) list.push(c);
    this.pending.set(repository, list.slice(-this.maxPerRepository));
  }

  /**
   * The pending commits up to and including `sha`, removed from the log; just `sha` with an
   * unknown time is not a commit we can measure, so an unknown sha gives none.
   */
  takeUpTo(repository: string, sha: string): Commit[] {
    const list = this.pending.get(repository) ?? [];
    const index = list.findIndex(c => c.sha === sha);
    if (index < 0) return [];
    this.pending.set(repository, list.slice(index + 1));
    return list.slice(0, index + 1);
  }
}
