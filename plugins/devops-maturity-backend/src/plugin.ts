import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  BUILT_IN_CHECKS,
  devopsMaturityPermissions,
  GoldenPathCheck,
} from '@devops-maturity/backstage-plugin-common';
import { assertKnownChecks, readSettings } from './config';
import { scheduleCatalogMirrorTask } from './tasks/catalogMirrorTask';
import {
  FACTS_REBUILD_TASK,
  scheduleFactsRebuildTask,
} from './tasks/factsRebuildTask';
import { scheduleRankingsTask } from './tasks/rankingsTask';
import { assertProductionConfig } from './productionConfig';
import { openDatabaseStores } from './database/openStores';
import {
  CatalogMirror,
  catalogUnscoredKinds,
  DEFAULT_IDENTITY_ANNOTATIONS,
} from './service/CatalogMirror';
import { createRouter } from './service/router';
import { createServices } from './service/createServices';
import { FactsRebuild } from './service/FactsRebuild';
import { CatalogRefreshFollowUp } from './service/CatalogRefreshFollowUp';
import { catalogLookup, ReadAccess } from './service/ReadAccess';
import { DemoSeeder } from './demo/DemoSeeder';
import { demoToday } from './demo/history';
import { connectEventSources } from './service/connectEventSources';
import {
  devopsMaturityChecksExtensionPoint,
  devopsMaturityEventsExtensionPoint,
  DoraEventSource,
} from '@devops-maturity/backstage-plugin-node';

/**
 * The devops-maturity backend: event intake, the catalog mirror, and the read API.
 * @public
 */
export const devopsMaturityPlugin = createBackendPlugin({
  pluginId: 'devops-maturity',
  register(env) {
    const sources: DoraEventSource[] = [];
    const checks: GoldenPathCheck[] = [];
    env.registerExtensionPoint(devopsMaturityChecksExtensionPoint, {
      addCheck(...added) {
        for (const check of added.flat()) {
          if (checks.some(c => c.id === check.id))
            throw new Error(`A check with id '${check.id}' was already added`);
          checks.push(check);
        }
      },
    });
    const identityAnnotations = new Set(DEFAULT_IDENTITY_ANNOTATIONS);
    env.registerExtensionPoint(devopsMaturityEventsExtensionPoint, {
      addEventSource(...added) {
        sources.push(...added.flat());
      },
      addIdentityAnnotation(...added) {
        added.flat().forEach(a => identityAnnotations.add(a));
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        scheduler,
        lifecycle,
        catalog,
      }) {
        assertProductionConfig(
          config,
          sources.map(s => s.id),
        );
        const settings = readSettings(config);
        // A module's check with a built-in check's id replaces it.
        const installedChecks = [
          ...BUILT_IN_CHECKS.filter(b => !checks.some(c => c.id === b.id)),
          ...checks,
        ];
        assertKnownChecks(
          settings.maturity,
          installedChecks.map(c => c.id),
          config.has('devopsMaturity.maturity.levels'),
        );
        const stores = await openDatabaseStores({ database, logger });
        lifecycle.addShutdownHook(() => stores.close());
        const { dora, maturity, scorecards, ingest, teamHistory } =
          createServices({
            stores,
            settings,
            logger,
            unscoredKinds: catalogUnscoredKinds({
              catalog,
              auth,
              kinds: settings.kinds,
            }),
            checks: installedChecks,
          });
        const factsRebuild = new FactsRebuild(
          stores.factRules,
          settings.options,
          logger.child({ task: FACTS_REBUILD_TASK }),
          // The stored entity facts follow the old rules: none is pooled again.
          () => scorecards.refreshAll({ rereadEvents: true }),
        );
        // Before anything is stored, so that a new installation records its rules at once.
        await factsRebuild.isNeeded();
        const seeder = settings.seedDemoData
          ? new DemoSeeder({
              catalog,
              auth,
              ingest,
              store: stores.maturity,
              logger: logger.child({ task: 'demo-seed' }),
              today: demoToday({
                dora,
                maturity,
                levels: settings.maturity.levels,
              }),
            })
          : undefined;
        const followUp = new CatalogRefreshFollowUp({
          ingest,
          stores,
          refreshRankingsIfRulesChanged: () =>
            scorecards.refreshAllIfRulesChanged(),
          recomputeMarkedRankings: () => scorecards.flush('owner'),
          seedNewServices: seeder && (() => seeder.seedNewServices()),
          retentionMs: settings.unmatchedRetentionMs,
          logger,
        });
        const mirror = new CatalogMirror({
          catalog,
          auth,
          stores,
          logger,
          kinds: settings.kinds,
          identityAnnotations: [...identityAnnotations],
          onRefreshed: changed => followUp.afterRefresh(changed),
        });

        await connectEventSources({
          sources,
          ingest,
          dora,
          stores,
          options: settings.options,
          logger,
        });

        permissionsRegistry.addPermissions(devopsMaturityPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            logger,
            stores,
            ingest,
            dora,
            scorecards,
            maturity,
            teamHistory,
            rulesApplied: () => factsRebuild.isCurrent(),
            access: new ReadAccess({
              httpAuth,
              permissions,
              catalog,
              kinds: settings.kinds,
              scoredEntities: async () =>
                (await stores.catalog.listEntities()).map(e => e.entityRef),
            }),
            catalogHas: catalogLookup({ catalog, auth }),
          }),
        );

        await scheduleCatalogMirrorTask({ scheduler, logger, config, mirror });
        await scheduleFactsRebuildTask({
          scheduler,
          logger,
          rebuild: factsRebuild,
        });
        await scheduleRankingsTask({ scheduler, logger, config, scorecards });
      },
    });
  },
});
