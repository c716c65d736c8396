import { mockServices } from '@backstage/backend-test-utils';
import { BUILT_IN_CHECKS } from '@devops-maturity/backstage-plugin-common';
import { DevopsMaturitySettings } from '../config';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { createServices } from '../service/createServices';

/** The plugin's services on a store, wired as the plugin wires them, at a fixed clock. */
export function servicesAt(
  store: DatabaseDoraStore,
  settings: DevopsMaturitySettings,
  now: number,
) {
  return createServices({
    store,
    settings,
    logger: mockServices.logger.mock(),
    checks: BUILT_IN_CHECKS,
    clock: () => now,
  });
}
