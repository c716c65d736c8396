/** A commit and when it was made, as the push API takes it. @public */
export interface Commit {
  sha: string;
  committedAt: string;
}

/**
 * For source modules whose deployment events name only the deployed sha (GitHub, GitLab):
 * the commits pushed to each repository and not deployed yet, in push order, so that a
 * deployment of sha X can report every commit up to X with its commit time.
 *
 * The plugin hands each source one kept in its database (`DoraEventSink.pendingCommits`): it
 * survives restarts, and a push taken by one backend replica serves the deployment another
 * replica takes.
 * @public
 */
export interface PendingCommits {
  /** Remembers commits pushed to a repository, in push order; a sha already kept stays put. */
  add(repository: string, commits: Commit[]): Promise<void>;
  /**
   * The pending commits up to and including `sha`, removed from the log; just `sha` with an
   * unknown time is not a commit we can measure, so an unknown sha gives none.
   */
  takeUpTo(repository: string, sha: string): Promise<Commit[]>;
}
