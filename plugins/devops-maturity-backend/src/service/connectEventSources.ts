import { LoggerService } from '@backstage/backend-plugin-api';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { DoraEventSource } from '@devops-maturity/backstage-plugin-node';
import { DoraStores } from '../database/openStores';
import { DoraService } from './DoraService';
import { createHandleOnce } from './handleOnce';
import { IngestService } from './IngestService';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';

/**
 * Connects the event sources that modules added (webhooks, PagerDuty). They write through the
 * push API's validation and ingest: one path for every event, whatever brought it.
 */
export async function connectEventSources(deps: {
  sources: DoraEventSource[];
  ingest: IngestService;
  dora: DoraService;
  stores: Pick<DoraStores, 'sources'>;
  options: DoraOptions;
  logger: LoggerService;
}) {
  const { ingest, dora, stores, options, logger } = deps;
  for (const source of deps.sources) {
    await source.connect({
      pushDeployments: async items =>
        ingest.ingestDeployments(
          parseBatch(deploymentItemSchema, { items }, dora.eventTimeRange()),
        ),
      pushIncidents: async items =>
        ingest.ingestIncidents(
          parseBatch(incidentItemSchema, { items }, dora.eventTimeRange()),
        ),
      handleOnce: createHandleOnce(stores.sources.deliveries(source.id)),
      commits: stores.sources.commitHistory(source.id, options),
    });
    logger.info(`Connected event source ${source.id}`);
  }
}
