import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import type { Commit } from '@devops-maturity/backstage-plugin-node';

/** The most commits GitHub lists on one page of a comparison. */
const PER_PAGE = 100;
/**
 * Past this many commits the history answers instead: a range this long is a first
 * deployment in a long time, and asking for it page by page would spend the token's rate limit.
 */
export const MAX_COMPARED_COMMITS = 10_000;

/** GitHub's "Compare two commits" answer, as far as it is read here. */
interface Comparison {
  total_commits: number;
  commits: Array<{
    sha: string;
    commit: { committer: { date: string } | null };
  }>;
}

/**
 * GitHub's compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`) for the
 * repositories whose host has an integration with credentials in app-config
 * (`integrations.github`, a token or a GitHub App).
 */
export class GithubCompare {
  private constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentials: GithubCredentialsProvider,
  ) {}

  static fromConfig(config: Config): GithubCompare {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubCompare(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    );
  }

  /**
   * The commits `head` contains and `base` does not, each at its committer date; undefined
   * when no integration with credentials serves `repositoryUrl` (the repository's
   * `html_url`). Throws when GitHub does not answer with the comparison.
   */
  async commits(
    repositoryUrl: string,
    range: { base: string; head: string },
  ): Promise<Commit[] | undefined> {
    const integration = this.integrations.github.byUrl(repositoryUrl);
    if (!integration) return undefined;
    // Without a token GitHub allows 60 requests an hour and no private repository: the
    // default github.com integration that every app has is not a configured one.
    const { headers, token } = await this.credentials.getCredentials({
      url: repositoryUrl,
    });
    if (!token) return undefined;
    const [owner, repo] = new URL(repositoryUrl).pathname
      .split('/')
      .filter(Boolean);
    const path = [
      'repos',
      encodeURIComponent(owner),
      encodeURIComponent(repo),
      'compare',
      `${encodeURIComponent(range.base)}...${encodeURIComponent(range.head)}`,
    ].join('/');
    const commits: Commit[] = [];
    for (let page = 1; ; page++) {
      const url = `${integration.config.apiBaseUrl}/${path}?per_page=${PER_PAGE}&page=${page}`;
      const response = await fetch(url, {
        headers: {
          ...headers,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        },
      });
      if (!response.ok) {
        throw new Error(
          `GitHub answered ${response.status} ${response.statusText} to ${url}`,
        );
      }
      const comparison = (await response.json()) as Comparison;
      if (comparison.total_commits > MAX_COMPARED_COMMITS) {
        throw new Error(
          `${comparison.total_commits} commits, more than the ${MAX_COMPARED_COMMITS} asked for`,
        );
      }
      for (const c of comparison.commits) {
        // A commit without a committer date is passed on without a time: the history leaves
        // it out and says the change set is partial.
        commits.push({
          sha: c.sha,
          committedAt: c.commit.committer?.date ?? '',
        });
      }
      if (commits.length >= comparison.total_commits) return commits;
      // A page that lists nothing before the total is reached: the list is not whole.
      if (comparison.commits.length === 0) {
        throw new Error(
          `GitHub listed ${commits.length} of ${comparison.total_commits} commits`,
        );
      }
    }
  }
}
