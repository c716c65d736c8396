import type { RootConfigService } from '@backstage/backend-plugin-api';
import {
  getGitLabRequestOptions,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import type { Commit } from '@devops-maturity/backstage-plugin-node';
import { toIso } from './mapping';

/** GitLab's repository compare answer, as far as it is read here. */
interface Comparison {
  /** Oldest first; the whole range in one answer (the API has no pages). */
  commits: Array<{ id: string; committed_date?: string; created_at?: string }>;
}

/**
 * GitLab's compare API (`GET /projects/:id/repository/compare?from=&to=`) for the projects
 * whose host has an integration with a token in app-config (`integrations.gitlab`).
 */
export class GitlabCompare {
  private constructor(private readonly integrations: ScmIntegrationRegistry) {}

  static fromConfig(config: RootConfigService): GitlabCompare {
    return new GitlabCompare(ScmIntegrations.fromConfig(config));
  }

  /**
   * The commits `head` contains and `base` does not (GitLab's default, through their merge
   * base), each at its committed date; undefined when no integration with a token serves
   * `projectUrl` (the project's `web_url`). Throws when GitLab does not answer with the
   * comparison.
   */
  async commits(
    projectUrl: string,
    projectPath: string,
    range: { base: string; head: string },
  ): Promise<Commit[] | undefined> {
    const integration = this.integrations.gitlab.byUrl(projectUrl);
    // The default gitlab.com integration every app has, without a token, is not a configured
    // one: private projects would answer 404 and public ones spend the anonymous rate limit.
    if (!integration?.config.token) return undefined;
    const query = new URLSearchParams({ from: range.base, to: range.head });
    const url = `${integration.config.apiBaseUrl}/projects/${encodeURIComponent(
      projectPath,
    )}/repository/compare?${query}`;
    const response = await fetch(
      url,
      getGitLabRequestOptions(integration.config),
    );
    if (!response.ok) {
      throw new Error(
        `GitLab answered ${response.status} ${response.statusText} to ${url}`,
      );
    }
    const comparison = (await response.json()) as Comparison;
    return comparison.commits.map(c => ({
      sha: c.id,
      // GitLab's `created_at` of a commit is its committed date too; older docs show only it.
      committedAt: toIso(c.committed_date ?? c.created_at ?? ''),
    }));
  }
}
