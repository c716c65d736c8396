import { isoOrUndefined, toBoolean, undefinedIfNull } from './util';

/** A stored deployment as the push API takes it: what a list item and a replay start from. */
export function deploymentFromRow(r: any) {
  return {
    id: r.external_id,
    source: r.source,
    entityRef: r.entity_ref,
    environment: r.environment,
    status: r.status,
    startedAt: isoOrUndefined(r.started_at),
    finishedAt: isoOrUndefined(r.finished_at),
    updatedAt: isoOrUndefined(r.source_updated_at),
    kind: r.kind,
    fixes: undefinedIfNull(r.fixes),
    version: undefinedIfNull(r.version),
    sha: undefinedIfNull(r.sha),
    url: undefinedIfNull(r.url),
    actor: undefinedIfNull(r.actor),
    labels: r.labels ? JSON.parse(r.labels) : undefined,
    commits: JSON.parse(r.commits ?? '[]'),
    commitsComplete: toBoolean(r.commits_complete),
  };
}

/** A stored incident as the push API takes it: what a list item and a replay start from. */
export function incidentFromRow(r: any) {
  return {
    id: r.external_id,
    source: r.source,
    entityRef: r.entity_ref,
    openedAt: isoOrUndefined(r.opened_at),
    resolvedAt: isoOrUndefined(r.resolved_at),
    updatedAt: isoOrUndefined(r.source_updated_at),
    severity: undefinedIfNull(r.severity),
    title: undefinedIfNull(r.title),
    url: undefinedIfNull(r.url),
    postmortemUrl: undefinedIfNull(r.postmortem_url),
    deploymentId: undefinedIfNull(r.deployment_id),
    causeSha: undefinedIfNull(r.cause_sha),
  };
}
