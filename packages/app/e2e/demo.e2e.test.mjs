// End-to-end: the running demo in Debian's Chromium. Signs in as guest, opens seeded services'
// DORA tabs and the ranking page, and checks what a user sees against the backend's own answers.
// Run by scripts/e2e.sh (which starts the demo); screenshots go to test-results/screenshots/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { API, APP, SHOTS, TOKEN, api, launchSignedIn } from './support.mjs';

let browser;
let page;

// The same human units as the UI (plugins/devops-maturity/src/components/shared/format.ts).
function duration(seconds) {
  if (seconds === null) return null;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days >= 1) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours >= 1) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

const TIER = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };

async function openDoraTab(name) {
  await page.goto(`${APP}/catalog/default/component/${name}/dora`);
  await page
    .getByTestId('metric-Lead time for changes')
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('overall-tier').waitFor({ timeout: 60_000 });
}

before(async () => {
  ({ browser, page } = await launchSignedIn());
});

after(async () => {
  await browser?.close();
});

// Every seeded service: names from the backend's own ranking.
const SERVICES = (
  await api('/scorecards?limit=1000&sort=name&order=asc')
).items.map(i => i.entityRef.split('/').pop());

describe('the DORA tab', () => {
  it('covers every demo service', () => {
    assert.ok(SERVICES.length >= 24, `${SERVICES.length} services`);
  });

  SERVICES.forEach(name => {
    it(`shows ${name}'s metrics as the backend computes them`, async () => {
      const m = await api(`/entities/component/default/${name}/dora`);
      await openDoraTab(name);
      const card = title => page.getByTestId(`metric-${title}`);
      for (const title of [
        'Deployment frequency',
        'Lead time for changes',
        'Change failure rate',
        'Time to restore service',
        'Rework rate',
      ]) {
        assert.ok(await card(title).isVisible(), `${title} card is visible`);
      }
      const lead = await card('Lead time for changes').innerText();
      if (m.leadTime.medianSeconds === null) assert.match(lead, /No data/);
      else {
        assert.ok(
          lead.includes(duration(m.leadTime.medianSeconds)),
          `lead time ${duration(m.leadTime.medianSeconds)} in "${lead}"`,
        );
        assert.ok(
          lead.includes(TIER[m.leadTime.tier]),
          `tier ${m.leadTime.tier} shown`,
        );
      }
      const cfr = await card('Change failure rate').innerText();
      if (m.changeFailureRate.value !== null) {
        assert.ok(
          cfr.includes(
            `${m.changeFailureRate.failedDeployments} of ${m.changeFailureRate.deployments} deployment`,
          ),
          cfr,
        );
      }
      const ttr = await card('Time to restore service').innerText();
      if (m.timeToRestore.medianSeconds === null) assert.match(ttr, /No data/);
      else
        assert.ok(ttr.includes(duration(m.timeToRestore.medianSeconds)), ttr);
      const overall = await page.getByTestId('overall-tier').innerText();
      assert.ok(
        overall.includes(m.overallTier ? TIER[m.overallTier] : 'No data'),
        overall,
      );
      if (['checkout-api', 'mainframe-bridge', 'auth-service'].includes(name)) {
        await page.screenshot({ path: path.join(SHOTS, `dora-${name}.png`) });
      }
    });
  });

  it('explains what to connect for a service with no data', async () => {
    await openDoraTab('ml-feature-store');
    const text = await page
      .getByTestId('metric-Time to restore service')
      .innerText();
    assert.match(text, /No incidents reported/);
    assert.match(text, /Connect PagerDuty/);
    const df = await page
      .getByTestId('metric-Deployment frequency')
      .innerText();
    assert.match(df, /No production deployments reported/);
    assert.doesNotMatch(df, /0 deploys/);
    await page.screenshot({ path: path.join(SHOTS, 'dora-empty-state.png') });
  });
});

describe('the ranking page', () => {
  it('ranks every service, sorted on the server by the column clicked', async () => {
    const all = await api('/scorecards?limit=1000');
    await page.goto(`${APP}/devops-maturity`);
    await page.getByTestId('summary-tiers').waitFor();
    await page
      .getByText(`1-20 of ${all.totalCount}`)
      .first()
      .waitFor({ state: 'attached' });
    // Click "Lead time" to sort ascending: the first rows are the services with the shortest lead time.
    await page.getByRole('columnheader', { name: 'Lead time' }).click();
    const best = await api('/scorecards?sort=leadTime&order=asc&limit=3');
    for (const row of best.items) {
      await page
        .getByRole('row')
        .filter({ hasText: row.title })
        .first()
        .waitFor();
    }
    const rows = await page.getByRole('row').allInnerTexts();
    // rows[0] is the header row; the first data row must be the service with the shortest lead time.
    assert.ok(
      rows[1].includes(best.items[0].title),
      `first row "${rows[1]}" is ${best.items[0].title}`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'ranking-services.png') });
  });

  it('drills down from a team to its services', async () => {
    await page.goto(`${APP}/devops-maturity/teams`);
    await page.getByTestId('drill-group:default/team-legacy').click();
    const legacy = await api('/scorecards?owner=team-legacy');
    await page
      .getByText(`1-${legacy.totalCount} of ${legacy.totalCount}`)
      .first()
      .waitFor({ state: 'attached' });
    for (const item of legacy.items) {
      await page
        .getByRole('row')
        .filter({ hasText: item.title })
        .first()
        .waitFor();
    }
    await page.screenshot({ path: path.join(SHOTS, 'ranking-drilldown.png') });
  });

  it('filters services by overall tier', async () => {
    const low = await api('/scorecards?tier=low');
    assert.ok(low.totalCount > 0, 'the demo has low-tier services');
    await page.goto(`${APP}/devops-maturity`);
    await page.getByTestId('filter-tier').click();
    await page.getByRole('option', { name: 'Low' }).click();
    await page
      .getByText(`1-${low.totalCount} of ${low.totalCount}`)
      .first()
      .waitFor({ state: 'attached' });
    const rows = await page.locator('table tbody tr').allInnerTexts();
    assert.equal(rows.length, low.totalCount);
    for (const item of low.items)
      assert.ok(
        rows.some(r => r.includes(item.title)),
        item.title,
      );
  });

  it('ranks teams on pooled figures', async () => {
    const teams = await api('/scorecards/owners?limit=100');
    await page.goto(`${APP}/devops-maturity/teams`);
    await page.getByTestId('tier-distribution').waitFor();
    for (const t of teams.items.slice(0, 3)) {
      await page
        .getByRole('row')
        .filter({ hasText: t.title })
        .first()
        .waitFor();
    }
    await page.screenshot({ path: path.join(SHOTS, 'ranking-teams.png') });
  });
});

describe('unmatched events', () => {
  it('lists a pushed event whose entity the catalog does not have, with the reason', async () => {
    const res = await fetch(`${API}/deployments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        items: [
          {
            id: 'e2e-unmatched-1',
            source: 'e2e',
            annotations: {
              'github.com/project-slug': 'acme/not-in-the-catalog',
            },
            environment: 'production',
            status: 'success',
            finishedAt: new Date().toISOString(),
          },
        ],
      }),
    });
    assert.deepEqual(await res.json(), {
      accepted: 0,
      updated: 0,
      unmatched: 1,
      stale: 0,
    });
    await page.goto(`${APP}/devops-maturity/unmatched`);
    const row = page.getByRole('row').filter({ hasText: 'e2e-unmatched-1' });
    await row.waitFor();
    assert.match(
      await row.innerText(),
      /no catalog entity carries these annotations/,
    );
    assert.match(await row.innerText(), /acme\/not-in-the-catalog/);
    await page.screenshot({ path: path.join(SHOTS, 'unmatched-events.png') });
  });
});
