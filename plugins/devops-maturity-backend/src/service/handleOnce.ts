import { DoraEventSink } from '@devops-maturity/backstage-plugin-node';
import { DeliveryLog } from '../database/deliveries';

/** Ids longer than the key column are not remembered: such a delivery is simply handled. */
const MAX_DELIVERY_ID_LENGTH = 255;

/**
 * A source's `handleOnce`: skips a delivery id it handled before, and remembers one only after
 * its handling succeeded, so a failure is retried by the next redelivery. A crash between the
 * two lets a redelivery be handled again, which the ordering by `updatedAt` makes harmless.
 */
export function createHandleOnce(
  log: DeliveryLog,
  clock: () => number = Date.now,
): DoraEventSink['handleOnce'] {
  return async (deliveryId, handle) => {
    // Payload fields are not always strings: an id of another type is no id.
    if (
      typeof deliveryId !== 'string' ||
      !deliveryId ||
      deliveryId.length > MAX_DELIVERY_ID_LENGTH
    ) {
      await handle();
      return true;
    }
    if (await log.wasHandled(deliveryId)) return false;
    await handle();
    await log.remember(deliveryId, clock());
    return true;
  };
}
