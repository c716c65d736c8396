import { Knex } from 'knex';
import { DAY_MS } from '@devops-maturity/backstage-plugin-common';

/**
 * How long a handled delivery is remembered. Providers redeliver within days (GitHub lets a
 * delivery of the past 3 days be redelivered; PagerDuty and GitLab retry within hours); after
 * that, a copy is still harmless: an older one never replaces a newer state.
 */
export const DELIVERY_RETENTION_MS = 30 * DAY_MS;

/** The webhook deliveries one source has had handled. */
export interface DeliveryLog {
  /** Whether the delivery was handled before (within the retention). */
  wasHandled(deliveryId: string): Promise<boolean>;
  /** Remembers a handled delivery, and forgets those older than the retention. */
  remember(deliveryId: string, now: number): Promise<void>;
}

/** A source's delivery log in the plugin's database, shared by every backend replica. */
export function databaseDeliveryLog(knex: Knex, source: string): DeliveryLog {
  return {
    async wasHandled(deliveryId) {
      const row = await knex('dm_deliveries')
        .where({ source, delivery_id: deliveryId })
        .first('handled_at');
      return row !== undefined;
    },
    async remember(deliveryId, now) {
      await knex('dm_deliveries')
        .insert({ source, delivery_id: deliveryId, handled_at: now })
        .onConflict(['source', 'delivery_id'])
        .ignore();
      // By the index on handled_at: nothing to read when nothing expired.
      await knex('dm_deliveries')
        .where('handled_at', '<', now - DELIVERY_RETENTION_MS)
        .delete();
    },
  };
}
