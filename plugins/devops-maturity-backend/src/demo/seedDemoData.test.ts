import {
  computeDoraMetrics,
  DAY_MS,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  deriveDoraFacts,
  DORA_2021,
  IncidentEvent,
} from '@devops-maturity/backstage-plugin-common';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from '../service/validation';
import { generateDemoEvents } from './seedDemoData';

const NOW = Date.parse('2026-11-21T08:00:00Z');
const services = [
  'elite',
  'high',
  'medium',
  'low',
  'stalled',
  'no-incident-tooling',
  'none',
].map(profile => ({
  entityRef: `component:default/${profile}-svc`,
  profile,
}));

function metricsOf(profile: string) {
  const events = generateDemoEvents(services, NOW);
  const entityRef = `component:default/${profile}-svc`;
  const window = { from: NOW - 90 * DAY_MS, to: NOW };
  const facts = deriveDoraFacts(
    events.deployments.filter(
      d => d.entityRef === entityRef,
    ) as DeploymentEvent[],
    events.incidents.filter(i => i.entityRef === entityRef) as IncidentEvent[],
    window,
    DEFAULT_DORA_OPTIONS,
  );
  return computeDoraMetrics(facts, window, DORA_2021);
}

describe('demo data', () => {
  it('is the same on every run', () => {
    expect(generateDemoEvents(services, NOW)).toEqual(
      generateDemoEvents(services, NOW),
    );
  });

  it('passes the push API validation', () => {
    const events = generateDemoEvents(services, NOW);
    expect(() =>
      parseBatch(deploymentItemSchema, {
        items: events.deployments.slice(0, 1000),
      }),
    ).not.toThrow();
    expect(() =>
      parseBatch(incidentItemSchema, { items: events.incidents }),
    ).not.toThrow();
  });

  it('shows clearly different teams, every tier and every empty state', () => {
    expect(metricsOf('elite').overallTier).toBe('elite');
    expect(metricsOf('high').overallTier).toBe('high');
    expect(metricsOf('low').overallTier).toBe('low');
    const stalled = metricsOf('stalled');
    expect(stalled.deploymentFrequency.deployments).toBe(0);
    expect(stalled.deploymentFrequency.tier).toBe('low');
    const noIncidents = metricsOf('no-incident-tooling');
    expect(noIncidents.timeToRestore.tier).toBeNull();
    expect(noIncidents.reasons.timeToRestore).toBe('no incidents reported');
    expect(noIncidents.changeFailureRate.failedDeployments).toBeGreaterThan(0); // from rollbacks
    const none = metricsOf('none');
    expect(none.overallTier).toBeNull();
    expect(none.reasons.deploymentFrequency).toBe(
      'no production deployments reported',
    );
    const tiers = new Set(
      ['elite', 'high', 'medium', 'low'].flatMap(p => [
        metricsOf(p).deploymentFrequency.tier,
        metricsOf(p).leadTime.tier,
        metricsOf(p).changeFailureRate.tier,
        metricsOf(p).timeToRestore.tier,
      ]),
    );
    expect([...tiers].sort()).toEqual(['elite', 'high', 'low', 'medium']);
  });

  it('re-sends the same events for overlapping days when seeded on a later day', () => {
    const today = generateDemoEvents(services.slice(0, 1), NOW);
    const tomorrow = generateDemoEvents(services.slice(0, 1), NOW + DAY_MS);
    const ids = new Set(tomorrow.deployments.map(d => d.id));
    const overlap = today.deployments.filter(d => ids.has(d.id));
    expect(overlap.length).toBeGreaterThan(today.deployments.length * 0.9);
    const byId = new Map(tomorrow.deployments.map(d => [d.id, d]));
    expect(
      overlap.every(d => JSON.stringify(byId.get(d.id)) === JSON.stringify(d)),
    ).toBe(true);
  });
});
