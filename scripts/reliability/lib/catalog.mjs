// What the probes' backends know: the demo's catalog, token and webhook secret (as
// app-config.yaml has them), or a generated catalog of many teams; and a wait until the plugin
// has mirrored the catalog.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, waitFor } from './backend.mjs';
import { post } from './traffic.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const YAML = require('yaml');

export const PUSH_PATH = '/api/devops-maturity/deployments';

/** The demo's static token and GitHub webhook secret, and its Components with a GitHub slug. */
export function demoSetup() {
  const config = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const token = config.backend.auth.externalAccess.find(
    a => a.type === 'static',
  ).options.token;
  const secret = config.events.modules.github.webhookSecret;
  const components = YAML.parseAllDocuments(
    fs.readFileSync(path.join(ROOT, 'examples/entities.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .filter(
      e =>
        e?.kind === 'Component' &&
        e.metadata.annotations?.['github.com/project-slug'],
    )
    .map(e => ({
      name: e.metadata.name,
      slug: e.metadata.annotations['github.com/project-slug'],
    }));
  return { token, secret, components };
}

/**
 * A catalog of `teams` teams under `departments` departments, `services` Components spread
 * over the teams round-robin: written as one YAML file for a `file` location. Returns the
 * Components (name, slug) and the teams' refs.
 */
export function writeGeneratedCatalog(file, { departments, teams, services }) {
  const docs = [];
  const teamRefs = [];
  for (let d = 0; d < departments; d++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `dept-${d}` },
      spec: { type: 'department', children: [] },
    });
  }
  for (let t = 0; t < teams; t++) {
    const name = `team-${t}`;
    teamRefs.push(`group:default/${name}`);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name },
      spec: { type: 'team', parent: `dept-${t % departments}`, children: [] },
    });
  }
  const components = [];
  for (let s = 0; s < services; s++) {
    const name = `service-${s}`;
    const slug = `acme/${name}`;
    components.push({ name, slug, owner: `group:default/team-${s % teams}` });
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { 'github.com/project-slug': slug },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `team-${s % teams}`,
      },
    });
  }
  fs.writeFileSync(file, docs.map(d => YAML.stringify(d)).join('---\n'));
  return { components, teamRefs };
}

/**
 * Waits until the plugin resolves every demo Component, by entity ref and by its
 * `github.com/project-slug`: a push of one probe deployment for each answers `unmatched: 0`.
 * (A read such as `/deployments/base` answers 200 for an entity the plugin does not know.)
 */
export async function waitForCatalog({
  port,
  token,
  runId,
  components,
  timeoutMs,
}) {
  const started = Date.now();
  const items = components.flatMap(c => [
    {
      id: `${runId}-ready-ref-${c.name}`,
      entityRef: `component:default/${c.name}`,
    },
    {
      id: `${runId}-ready-slug-${c.name}`,
      annotations: { 'github.com/project-slug': c.slug },
    },
  ]);
  const body = JSON.stringify({
    items: items.map(i => ({
      ...i,
      source: 'crash-probe-ready',
      environment: 'readiness-probe',
      status: 'success',
      finishedAt: new Date(started).toISOString(),
    })),
  });
  const agent = new http.Agent({ keepAlive: false });
  await waitFor(
    'the plugin knows every demo Component',
    async () => {
      const r = await post(agent, port, PUSH_PATH, body, {
        authorization: `Bearer ${token}`,
      });
      if (r.status !== 200)
        throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
      return JSON.parse(r.text).unmatched === 0;
    },
    { timeoutMs, intervalMs: 500 },
  );
  return Date.now() - started;
}
