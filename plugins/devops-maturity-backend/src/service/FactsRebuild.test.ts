import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DAY_MS } from '@devops-maturity/backstage-plugin-common';
import { DoraStores } from '../database/openStores';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { readSettings } from '../config';
import { generateDemoEvents } from '../demo/seedDemoData';
import { servicesAt } from '../__testUtils__/services';
import { FactsRebuild, factRulesFingerprint } from './FactsRebuild';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-11-21T08:00:00Z');
const services = ['elite', 'high', 'medium', 'low', 'stalled'].map(
  (profile, i) => ({
    entityRef: `component:default/${profile}`,
    profile,
    owner: `group:default/team-${i % 2}`,
  }),
);

/** The demo's events, with every third production deployment sent to `prod-eu`. */
function eventsWithProdEu() {
  const events = generateDemoEvents(services, NOW, 120);
  let n = 0;
  for (const d of events.deployments) {
    if (d.environment === 'production' && n++ % 3 === 0)
      d.environment = 'prod-eu';
  }
  return events;
}

function settingsOf(config: object) {
  return readSettings(new ConfigReader({ devopsMaturity: config }));
}

/** A store with the catalog and every event ingested under `settings`, and its services. */
async function ingested(
  databaseId: Parameters<typeof createTestStore>[1],
  settings: ReturnType<typeof readSettings>,
) {
  const { knex, stores } = await createTestStore(databases, databaseId);
  await stores.catalog.replaceCatalog(
    services.map(s => ({
      entityRef: s.entityRef,
      kind: 'Component',
      namespace: 'default',
      name: s.profile,
      ownerRef: s.owner,
      identities: [],
    })),
    [
      { groupRef: 'group:default/team-0' },
      { groupRef: 'group:default/team-1' },
    ],
  );
  const created = servicesAt(stores, settings, NOW);
  const events = eventsWithProdEu();
  for (let i = 0; i < events.deployments.length; i += 500) {
    await created.ingest.ingestDeployments(
      parseBatch(deploymentItemSchema, {
        items: events.deployments.slice(i, i + 500),
      }),
    );
  }
  await created.ingest.ingestIncidents(
    parseBatch(incidentItemSchema, { items: events.incidents }),
  );
  await created.scorecards.refreshAll();
  return { knex, stores, ...created };
}

/** Every figure a reader can get: metrics per window, both lists in full, the rankings. */
async function everyFigure(
  stores: DoraStores,
  settings: ReturnType<typeof readSettings>,
) {
  const { dora, scorecards } = servicesAt(stores, settings, NOW);
  const figures: Record<string, unknown> = {};
  for (const { entityRef } of services) {
    for (const days of [30, 90, 365]) {
      const window = { from: NOW - days * DAY_MS, to: NOW };
      figures[`${entityRef} ${days}`] = await dora.metricsOf(
        entityRef,
        window,
        dora.profile(),
      );
    }
    const all = { limit: 100_000, offset: 0 };
    figures[`${entityRef} deployments`] = await stores.events.listDeployments(
      entityRef,
      all,
    );
    figures[`${entityRef} incidents`] = await stores.events.listIncidents(
      entityRef,
      all,
    );
  }
  for (const subjectType of ['entity', 'owner'] as const) {
    for (const windowDays of [30, 90]) {
      const { computedAt: _c, ...ranking } = await scorecards.rank({
        subjectType,
        windowDays,
        profile: 'dora-2023',
        sort: 'overallTier',
        order: 'asc',
        limit: 100,
        offset: 0,
      });
      figures[`${subjectType} ranking ${windowDays}`] = ranking;
    }
  }
  return figures;
}

describe.each(databaseIds(databases))('FactsRebuild on %p', databaseId => {
  it.each([
    [
      'prod-eu becomes a production environment',
      { productionEnvironments: ['production', 'prod', 'prod-eu'] },
    ],
    [
      'incidents stop linking to the latest deployment',
      { incidents: { linkToLatestDeployment: false } },
    ],
  ])(
    'after %s, every figure equals a fresh ingest under the new config',
    async (_case, newConfig) => {
      const before = settingsOf({});
      const after = settingsOf(newConfig);
      const old = await ingested(databaseId, before);
      const rules = old.stores.factRules;
      await new FactsRebuild(
        rules,
        before.options,
        mockServices.logger.mock(),
        async () => {},
      ).runIfNeeded();
      const fresh = await ingested(databaseId, after);
      const expected = await everyFigure(fresh.stores, after);
      // The change matters for these events: otherwise this test could not fail.
      expect(await everyFigure(old.stores, after)).not.toEqual(expected);

      const { scorecards } = servicesAt(old.stores, after, NOW);
      const rebuild = new FactsRebuild(
        rules,
        after.options,
        mockServices.logger.mock(),
        () => scorecards.refreshAll(),
      );
      expect(await rebuild.isCurrent()).toBe(false);
      expect(await rebuild.runIfNeeded()).toEqual({ rebuilt: true });
      expect(await rebuild.isCurrent()).toBe(true);
      expect(await everyFigure(old.stores, after)).toEqual(expected);
      // Done once: the next run finds the rules applied.
      expect(await rebuild.runIfNeeded()).toEqual({ rebuilt: false });
    },
  );

  it('records the rules of an empty store without a rebuild, and rebuilds facts stored before rules were recorded', async () => {
    const settings = settingsOf({});
    const { stores } = await createTestStore(databases, databaseId);
    const refreshed = jest.fn(async () => {});
    const rebuild = new FactsRebuild(
      stores.factRules,
      settings.options,
      mockServices.logger.mock(),
      refreshed,
    );
    expect(await rebuild.runIfNeeded()).toEqual({ rebuilt: false });
    expect(await rebuild.isCurrent()).toBe(true);
    expect(refreshed).not.toHaveBeenCalled();

    const upgraded = await ingested(databaseId, settings);
    const expected = await everyFigure(upgraded.stores, settings);
    // Facts an older release derived differently (here: lost), under rules nobody recorded:
    // the rebuild derives every entity's changes again, not only where counting changed.
    await upgraded.knex('dm_entity_changes').delete();
    expect(await everyFigure(upgraded.stores, settings)).not.toEqual(expected);
    const onUpgrade = new FactsRebuild(
      upgraded.stores.factRules,
      settings.options,
      mockServices.logger.mock(),
      refreshed,
    );
    expect(await onUpgrade.runIfNeeded()).toEqual({ rebuilt: true });
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect(await everyFigure(upgraded.stores, settings)).toEqual(expected);
  });
});

describe('factRulesFingerprint', () => {
  const options = {
    productionEnvironments: ['production', 'prod'],
    linkIncidentsToLatestDeployment: true,
  };
  it('reads equal rules the same, whatever the case and order of environments', () => {
    expect(
      factRulesFingerprint({
        ...options,
        productionEnvironments: [' Prod', 'PRODUCTION', 'prod'],
      }),
    ).toBe(factRulesFingerprint(options));
  });
  it('tells changed rules apart', () => {
    expect(
      factRulesFingerprint({
        ...options,
        productionEnvironments: ['production', 'prod', 'prod-eu'],
      }),
    ).not.toBe(factRulesFingerprint(options));
    expect(
      factRulesFingerprint({
        ...options,
        linkIncidentsToLatestDeployment: false,
      }),
    ).not.toBe(factRulesFingerprint(options));
  });
});
