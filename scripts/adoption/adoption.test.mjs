// The fresh app that scripts/adoption.sh wired from the READMEs, in Debian's Chromium: what an
// adopter sees after following them. Events are pushed here with the static token the README
// configures (E2E_PUSH_TOKEN, push only), at times relative to now, so the default windows hold
// them; reads go as the signed-in guest (E2E_TOKEN).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  API,
  APP,
  SHOTS,
  TOKEN,
  api,
  launchSignedIn,
} from '../../packages/app/e2e/support.mjs';

const ENTITIES = ['example-website', 'adoption-service'];
const hoursAgo = h => new Date(Date.now() - h * 3_600_000).toISOString();

const PUSH_TOKEN = process.env.E2E_PUSH_TOKEN;

async function push(kind, items) {
  const res = await fetch(`${API}/${kind}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${PUSH_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ items }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.accepted, items.length, JSON.stringify(body));
}

let browser;
let page;

before(async () => {
  for (const name of ENTITIES) {
    const entityRef = `component:default/${name}`;
    await push(
      'deployments',
      [1, 2, 3].map(n => ({
        id: `${name}-deploy-${n}`,
        entityRef,
        environment: 'production',
        status: 'success',
        finishedAt: hoursAgo(24 * n),
        commits: [
          { sha: `${name}-sha-${n}`, committedAt: hoursAgo(24 * n + 5) },
        ],
      })),
    );
    await push('incidents', [
      {
        id: `${name}-incident-1`,
        entityRef,
        openedAt: hoursAgo(30),
        resolvedAt: hoursAgo(28),
        title: `Outage of ${name}`,
      },
    ]);
  }
  ({ browser, page } = await launchSignedIn());
});

after(async () => {
  await browser?.close();
});

describe('a fresh app wired by the READMEs', () => {
  for (const name of ENTITIES) {
    it(`shows ${name}'s DORA tab with the deployments and incidents pushed`, async () => {
      await page.goto(`${APP}/catalog/default/component/${name}/dora`);
      await page.getByTestId('metric-Deployment frequency').waitFor();
      await page.getByText(`${name}-deploy-1`).first().waitFor();
      await page.getByText(`Outage of ${name}`).first().waitFor();
      const m = await api(`/entities/component/default/${name}/dora`);
      // Ours, and for the website the README's example push too when it is in the window.
      assert.ok(
        m.deploymentFrequency.deployments >= 3,
        JSON.stringify(m.deploymentFrequency),
      );
      await page.screenshot({ path: path.join(SHOTS, `${name}-dora.png`) });
    });

    it(`shows ${name}'s CALMS and DevOps maturity tabs`, async () => {
      await page.goto(`${APP}/catalog/default/component/${name}/calms`);
      await page.getByTestId('calms-radar').waitFor();
      await page.screenshot({ path: path.join(SHOTS, `${name}-calms.png`) });
      await page.goto(`${APP}/catalog/default/component/${name}/maturity`);
      await page.getByTestId('maturity-ladder').waitFor();
      await page.screenshot({ path: path.join(SHOTS, `${name}-maturity.png`) });
    });
  }

  it('shows the summary card on the overview', async () => {
    await page.goto(`${APP}/catalog/default/component/adoption-service`);
    await page.getByTestId('card-level').waitFor();
  });

  it('ranks both on the Scorecards page, reached from the sidebar', async () => {
    await page.goto(`${APP}/catalog`);
    // "Scorecards" as the legacy README names it; the new frontend system's nav item carries
    // the page's own title.
    await page
      .getByRole('link', { name: /^(Scorecards|DevOps maturity)$/ })
      .first()
      .click();
    await page.waitForURL('**/devops-maturity**');
    for (const name of ENTITIES) await page.getByText(name).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'ranking.png') });
  });

  it("refuses the guest's assessment of a service another team owns (403)", async () => {
    const res = await fetch(
      `${API}/entities/component/default/adoption-service/calms/assessment`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ answers: {} }),
      },
    );
    assert.equal(res.status, 403, await res.text());
    await page.goto(`${APP}/catalog/default/component/adoption-service/calms`);
    await page.getByTestId('assessment-read-only').waitFor();
  });

  it("keeps the README's push token to pushing: it reads nothing (403)", async () => {
    const res = await fetch(`${API}/scorecards`, {
      headers: { authorization: `Bearer ${PUSH_TOKEN}` },
    });
    assert.equal(res.status, 403, await res.text());
  });

  // Last: it adds a deployment to a service the tests above read.
  it('takes a deployment from the CLI installed from its tarball, with the push token', async () => {
    const tarball = process.env.E2E_CLI_TARBALL;
    assert.ok(tarball && fs.existsSync(tarball), `no CLI tarball: ${tarball}`);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'adoption-cli-'));
    const git = (args, at) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at },
      }).trim();
    git(['init', '--quiet']);
    git(['config', 'user.email', 'dev@example.com']);
    git(['config', 'user.name', 'Dev']);
    git(['commit', '--quiet', '--allow-empty', '-m', 'one'], hoursAgo(10));
    const first = git(['rev-parse', 'HEAD']);
    git(['commit', '--quiet', '--allow-empty', '-m', 'two'], hoursAgo(9));
    const second = git(['rev-parse', 'HEAD']);
    const output = execFileSync(
      'npx',
      [
        '--yes',
        `--package=${tarball}`,
        'devops-maturity',
        'deployment',
        '--entity',
        'component:default/adoption-service',
        '--env',
        'production',
        '--id',
        'adoption-cli-1',
        '--since',
        first,
      ],
      {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          DEVOPS_MATURITY_URL: API.replace(/\/api\/devops-maturity$/, ''),
          DEVOPS_MATURITY_TOKEN: PUSH_TOKEN,
        },
      },
    );
    fs.rmSync(repo, { recursive: true, force: true });
    assert.match(
      output,
      /deployment adoption-cli-1 of component:default\/adoption-service: stored/,
    );
    const { items } = await api(
      '/entities/component/default/adoption-service/deployments?limit=1',
    );
    assert.equal(items[0].id, 'adoption-cli-1');
    assert.equal(items[0].sha, second);
    assert.deepEqual(
      items[0].commits.map(c => c.sha),
      [second],
    );
  });
});
