import { mockServices } from '@backstage/backend-test-utils';
import { BUILT_IN_CHECKS } from '@devops-maturity/backstage-plugin-common';
import { DevopsMaturitySettings } from '../config';
import { DoraStores } from '../database/openStores';
import { createServices } from '../service/createServices';

/** The plugin's services on the stores, wired as the plugin wires them, at a fixed clock. */
export function servicesAt(
  stores: DoraStores,
  settings: DevopsMaturitySettings,
  now: number,
) {
  return createServices({
    stores,
    settings,
    logger: mockServices.logger.mock(),
    checks: BUILT_IN_CHECKS,
    clock: () => now,
  });
}
