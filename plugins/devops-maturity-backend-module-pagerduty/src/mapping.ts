import { createHmac, timingSafeEqual } from 'crypto';

/** The annotation that names a PagerDuty service on a catalog entity. */
export const SERVICE_ID = 'pagerduty.com/service-id';

/** A PagerDuty V3 webhook, as far as it is read here. */
export interface PagerDutyWebhook {
  event: {
    id: string;
    event_type: string;
    resource_type: string;
    occurred_at: string;
    data: {
      id: string;
      type: string;
      html_url?: string;
      number?: number;
      status?: string;
      created_at: string;
      title?: string;
      service: { id: string };
      priority?: { summary?: string } | null;
      urgency?: string;
    };
  };
}

const OPENING = ['incident.triggered', 'incident.reopened'];
const RESOLVING = ['incident.resolved'];

/**
 * An incident event as a push API incident: `incident.triggered` and `incident.reopened`
 * open it, `incident.resolved` resolves it at the event's time. Other events (acknowledged,
 * annotated, ...) change nothing a DORA number uses and are ignored. The event's time is the
 * incident's `updatedAt`, so a triggered delivered after its resolve does not reopen it, and
 * a reopened incident keeps its first open time (`created_at`).
 */
export function incidentFromWebhook(webhook: PagerDutyWebhook) {
  const { event } = webhook;
  if (event.resource_type !== 'incident') return undefined;
  const opening = OPENING.includes(event.event_type);
  const resolving = RESOLVING.includes(event.event_type);
  if (!opening && !resolving) return undefined;
  const data = event.data;
  return {
    id: data.id,
    source: 'pagerduty',
    annotations: { [SERVICE_ID]: data.service.id },
    openedAt: data.created_at,
    resolvedAt: resolving ? event.occurred_at : null,
    updatedAt: event.occurred_at,
    ...(data.title ? { title: data.title } : {}),
    ...(data.html_url && /^https?:\/\//.test(data.html_url)
      ? { url: data.html_url }
      : {}),
    ...(data.priority?.summary || data.urgency
      ? { severity: data.priority?.summary ?? data.urgency }
      : {}),
  };
}

/**
 * Whether a `X-PagerDuty-Signature` header (`v1=<hex>`, several comma-separated during a
 * secret rotation) signs the raw body with one of the secrets (HMAC-SHA256).
 */
export function isSignedByPagerDuty(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secrets: string[],
): boolean {
  const signatures = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(s => s.startsWith('v1='))
    .map(s => Buffer.from(s.slice(3), 'hex'));
  return secrets.some(secret => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return signatures.some(
      sig => sig.length === expected.length && timingSafeEqual(sig, expected),
    );
  });
}
