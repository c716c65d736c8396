import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { entitiesWithEvents, rebuildEntityFacts } from './rebuildFacts';

/**
 * Which rules something derived and stored follows (the facts, the ranking rows), recorded
 * where every replica reads it.
 */
export interface RulesRecord {
  /** The fingerprint of the rules followed; undefined when none was recorded. */
  appliedFingerprint(): Promise<string | undefined>;
  /** Records that these rules are followed. */
  markApplied(fingerprint: string, rules: unknown, at: number): Promise<void>;
}

/** The rules the stored facts follow, and their rebuild under other rules. */
export interface FactRulesStore extends RulesRecord {
  /** Whether any deployment or incident is stored. */
  hasEvents(): Promise<boolean>;
  /** Every entity with stored events, in byte order: the rebuild's work list. */
  entitiesWithEvents(): Promise<string[]>;
  /** Derives the entities' facts again under `options`, in one transaction. */
  rebuild(
    entityRefs: string[],
    options: DoraOptions,
  ): Promise<{ recounted: number }>;
}

/** The record of one set of rules (a row of `dm_rules`), shared by every backend replica. */
export function databaseRulesRecord(knex: Knex, name: string): RulesRecord {
  return {
    async appliedFingerprint() {
      const row = await knex('dm_rules').where({ name }).first('fingerprint');
      return row?.fingerprint;
    },
    async markApplied(fingerprint, rules, at) {
      await knex('dm_rules')
        .insert({
          name,
          fingerprint,
          rules: JSON.stringify(rules),
          applied_at: at,
        })
        .onConflict('name')
        .merge();
    },
  };
}

/** The fact rules kept in the plugin's database, shared by every backend replica. */
export function databaseFactRules(knex: Knex): FactRulesStore {
  return {
    ...databaseRulesRecord(knex, 'facts'),
    async hasEvents() {
      for (const table of ['dm_deployments', 'dm_incidents']) {
        if (await knex(table).first('pk')) return true;
      }
      return false;
    },
    entitiesWithEvents: () => entitiesWithEvents(knex),
    rebuild: (entityRefs, options) =>
      knex.transaction(trx => rebuildEntityFacts(trx, entityRefs, options)),
  };
}
