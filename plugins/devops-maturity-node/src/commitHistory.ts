/** A commit and when it was made, as the push API takes it. @public */
export interface Commit {
  sha: string;
  committedAt: string;
}

/**
 * A push as a git provider reports it: the branch moved from `before` to `after`, bringing
 * `commits`, oldest first (the provider's order).
 * @public
 */
export interface PushedCommits {
  /** The branch's previous head; absent (or all zeros) when the branch is new. */
  before?: string;
  /** The branch's new head. */
  after: string;
  /** The commits the push brought, oldest first. */
  commits: Commit[];
  /**
   * Whether `commits` is every commit between `before` and `after`. False for force pushes
   * and for payloads the provider cut short: then the first commit is not linked to `before`.
   * Default true.
   */
  linksToBefore?: boolean;
}

/** A deployment whose change set a source asks for. @public */
export interface ChangeSetRequest {
  /** The source's id of the deployment: a redelivery asks with the same id. */
  deploymentId: string;
  /** The deployed commit. */
  sha: string;
  /** The environment as the deployment item names it. */
  environment: string;
  /** When the deployment finished (ISO-8601). */
  finishedAt: string;
}

/**
 * What a deployment brings to production. `complete` is false when the history known to the
 * plugin cannot account for every commit (a sha never pushed, history before the first push
 * seen, a force push): the deployment then counts as partial lead-time coverage.
 * @public
 */
export interface ChangeSet {
  commits: Commit[];
  complete: boolean;
}

/**
 * Asks the git provider which commits `head` contains and `base` does not (GitHub's and
 * GitLab's compare APIs), oldest first. Answers undefined when the provider cannot be asked for
 * this repository (no integration configured for its host); throws when the asking failed.
 * @public
 */
export type CompareCommits = (range: {
  base: string;
  head: string;
}) => Promise<Commit[] | undefined>;

/**
 * For source modules whose deployment events name only the deployed sha (GitHub, GitLab): the
 * commit history learnt from pushes, per repository, kept in the plugin's database (it survives
 * restarts and every backend replica shares it).
 *
 * The change set of a successful production deployment of sha S is every commit S contains
 * that no earlier production deployment of the repository contained. With a `compare`, that is
 * what the provider answers for (previous production sha ... S), complete; otherwise, or when
 * there is no previous production deployment or the provider cannot answer, it is found by
 * walking back from S through the pushes' history. Deployments to other environments take
 * nothing, answered as unknown (`complete: false`): what they would bring is not worked out.
 * @public
 */
export interface CommitHistory {
  /** Learns the commits of a push and their order; a commit already known keeps its time. */
  recordPush(repository: string, push: PushedCommits): Promise<void>;
  /**
   * The change set of a deployment. Asking again for the same deployment (a redelivery)
   * gives the same commits; a deployment that arrives late, after a later one took its
   * commits, still gets them.
   *
   * `compare`, when given, is asked for (previous production sha ... deployed sha): the
   * previous production deployment is the one before this one by finish time, then
   * deployment id, so a redelivery asks with the same base and a late deployment with the one
   * that precedes it. When it answers undefined, or there is no previous production
   * deployment, the history answers. An error `compare` throws goes up to the caller;
   * `pushDeploymentOfSha` turns it into a logged warning and the history's answer.
   */
  changeSet(
    repository: string,
    deployment: ChangeSetRequest,
    compare?: CompareCommits,
  ): Promise<ChangeSet>;
}
