import { CommandContext } from './deployment';
import { usageError } from './errors';
import { fullEntityRef, instantOption, linkOption } from './values';

/** The `incident open` and `incident resolve` options, as commander hands them over. */
export interface IncidentOptions {
  id: string;
  entity: string;
  source: string;
  openedAt?: string;
  resolvedAt?: string;
  severity?: string;
  title?: string;
  url?: string;
  postmortemUrl?: string;
  deploymentId?: string;
  causeSha?: string;
  dryRun: boolean;
}

/** The incident as the push API takes it (`POST /incidents`). */
export interface IncidentItem {
  id: string;
  source: string;
  entityRef: string;
  openedAt: string;
  resolvedAt?: string;
  severity?: string;
  title?: string;
  url?: string;
  postmortemUrl?: string;
  deploymentId?: string;
  causeSha?: string;
}

/** `GET /incidents/stored`: the incident as stored, or null. */
export interface StoredIncident {
  stored:
    | (Omit<IncidentItem, 'id' | 'source' | 'entityRef' | 'resolvedAt'> & {
        resolvedAt?: string | null;
      })
    | null;
}

const DETAILS = [
  'severity',
  'title',
  'url',
  'postmortemUrl',
  'deploymentId',
  'causeSha',
] as const;

/**
 * The incident to push for `open` or `resolve`, or undefined when there is nothing to send.
 * A push replaces the stored copy whole, so the stored one is read first: what the command
 * does not say is kept (a `resolve` does not erase the title `open` gave), a retried step
 * sends the same copy again (the stored times are reused), and an `open` retried after the
 * incident was resolved does not reopen it.
 */
export async function incidentToReport(
  action: 'open' | 'resolve',
  options: IncidentOptions,
  context: CommandContext,
): Promise<IncidentItem | undefined> {
  const { client, log } = context;
  const entityRef = fullEntityRef(options.entity);
  const id = options.id.trim();
  if (!id) throw usageError('--id: must not be empty');
  const openedAt =
    options.openedAt && instantOption('--opened-at', options.openedAt);
  const resolvedAt =
    options.resolvedAt && instantOption('--resolved-at', options.resolvedAt);

  if (options.url) linkOption('--url', options.url);
  if (options.postmortemUrl)
    linkOption('--postmortem-url', options.postmortemUrl);

  const { stored } = client
    ? await client.request<StoredIncident>(
        'GET',
        `/incidents/stored?${new URLSearchParams({
          entityRef,
          source: options.source,
          id,
        })}`,
      )
    : { stored: null };

  if (action === 'open' && stored?.resolvedAt && !resolvedAt) {
    log(
      `incident ${id} was resolved at ${stored.resolvedAt}: not reopening it (a retried step, or report a new incident with a new --id)`,
    );
    return undefined;
  }

  const item: IncidentItem = {
    id,
    source: options.source,
    entityRef,
    openedAt: openedAt ?? stored?.openedAt ?? context.now().toISOString(),
  };
  if (action === 'resolve') {
    if (!openedAt && !stored) {
      throw usageError(
        `--opened-at: incident ${id} of ${entityRef} is not stored (source ${options.source}), so its opening time is unknown`,
      );
    }
    item.resolvedAt =
      resolvedAt ?? stored?.resolvedAt ?? context.now().toISOString();
  } else if (resolvedAt) {
    item.resolvedAt = resolvedAt;
  }
  for (const field of DETAILS) {
    const value = options[field] ?? stored?.[field] ?? undefined;
    if (value) item[field] = value;
  }
  return item;
}
