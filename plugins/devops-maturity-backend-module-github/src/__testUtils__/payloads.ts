import examples from '@octokit/webhooks-examples';

/** GitHub's example webhook payload of event `name` that `pick` chooses. */
export const example = (name: string, pick: (e: any) => boolean) =>
  (examples as any[]).find(e => e.name === name)!.examples.find(pick);

/** A commit named `name` (its sha, padded to 40 characters) made at `at`. */
export function c(name: string, at: string) {
  return { sha: name.padEnd(40, '0'), at };
}

/** A push of `commits` (oldest first) to `ref`, moving it from `before`, as GitHub sends it. */
export function push(
  ref: string,
  before: string,
  commits: Array<{ sha: string; at: string }>,
  extra: { forced?: boolean } = {},
) {
  const template = example('push', e => e.ref === 'refs/heads/master');
  const listed = commits.map(x => ({
    ...template.head_commit,
    id: x.sha,
    tree_id: x.sha,
    timestamp: x.at,
  }));
  return {
    ...template,
    ref,
    before,
    after: listed[listed.length - 1].id,
    created: /^0+$/.test(before),
    forced: extra.forced ?? false,
    commits: listed,
    head_commit: listed[listed.length - 1],
  };
}

/** A successful deployment status of deployment `id` of `sha` to `environment`. */
export function deploy(
  id: number,
  sha: string,
  environment: string,
  at: string,
) {
  const template = example(
    'deployment_status',
    e => e.deployment_status.state === 'success',
  );
  return {
    ...template,
    deployment: {
      ...template.deployment,
      id,
      sha,
      environment,
      created_at: at,
      updated_at: at,
    },
    deployment_status: {
      ...template.deployment_status,
      environment,
      created_at: at,
      updated_at: at,
    },
  };
}
