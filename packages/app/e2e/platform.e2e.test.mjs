// End-to-end: the Scorecards page as a platform team meets it on a laptop screen (1440x900):
// the summary and the ranking's first rows on the first screen, every column reachable, and
// the view choices each user keeps. Checked against the backend's own answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { API, APP, SHOTS, api, apiText, launchSignedIn } from './support.mjs';

const VIEWPORT = { width: 1440, height: 900 };

let browser;
let page;

/**
 * Forgets the guest's view choices (kept by the user-settings backend), so each run starts
 * from the defaults whatever an earlier run or a person trying the demo chose.
 */
async function forgetViewChoices() {
  const base = API.replace(/\/devops-maturity$/, '');
  const res = await fetch(`${base}/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200);
  const token = (await res.json()).backstageIdentity.token;
  for (const key of ['ranking.services.hiddenColumns', 'ranking.denseRows']) {
    const del = await fetch(
      `${base}/user-settings/buckets/default.devops-maturity/keys/${key}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${token}` } },
    );
    assert.ok([204, 404].includes(del.status), `${key}: ${del.status}`);
  }
}

before(async () => {
  await forgetViewChoices();
  ({ browser, page } = await launchSignedIn(VIEWPORT));
});

after(async () => {
  await browser?.close();
  await forgetViewChoices();
});

const ranking = () => page.getByTestId('services-ranking');

/** Opens the Services tab and waits for the ranking's rows. */
async function openServices(totalCount) {
  await page.goto(`${APP}/devops-maturity`);
  await page
    .getByText(`1-20 of ${totalCount}`)
    .first()
    .waitFor({ state: 'attached' });
}

/** The part of the element inside the viewport, as a share of its height (1 = all of it). */
async function shownShare(locator) {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is laid out');
  const top = Math.max(box.y, 0);
  const bottom = Math.min(box.y + box.height, VIEWPORT.height);
  return Math.max(0, bottom - top) / box.height;
}

/** True when a click at the element's centre would land on it, not on what covers it. */
async function onTop(locator) {
  return locator.evaluate(el => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(
      r.left + r.width / 2,
      r.top + r.height / 2,
    );
    return !!hit && (hit === el || el.contains(hit));
  });
}

describe('the Services tab at 1440x900', () => {
  it('shows the summary and the first ranking rows without scrolling, with the API figures', async () => {
    const all = await api('/scorecards?limit=1');
    const health = await api('/golden-path?days=90');
    await openServices(all.totalCount);
    await page.getByTestId('summary-level').waitFor();
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    for (const id of [
      'summary-tiers',
      'summary-levels',
      'summary-golden-path',
      'summary-unmatched',
    ])
      assert.equal(await shownShare(page.getByTestId(id)), 1, `${id} in view`);
    const rows = ranking().locator('tbody tr');
    for (let i = 0; i < 3; i++)
      assert.equal(await shownShare(rows.nth(i)), 1, `ranking row ${i + 1}`);

    assert.match(
      await page.getByTestId('summary-tiers').innerText(),
      new RegExp(`${all.totalCount} services by overall DORA tier`, 'i'),
    );
    for (const [tier, count] of Object.entries(all.distribution))
      assert.equal(
        await page
          .getByTestId(`summary-tier-${tier}`)
          .getAttribute('data-count'),
        String(count),
        `services in tier ${tier}`,
      );
    for (const { level } of [{ level: 0 }, ...health.levels])
      assert.equal(
        await page
          .getByTestId(`summary-level-${level}`)
          .getAttribute('data-count'),
        String(health.organisation.levels[String(level)] ?? 0),
        `services at level ${level}`,
      );
    let passed = 0;
    let applicable = 0;
    for (const c of Object.values(health.organisation.checks)) {
      passed += c.passed;
      applicable += c.applicable;
    }
    assert.match(
      await page.getByTestId('summary-golden-path').innerText(),
      new RegExp(`${passed} of ${applicable} checks`),
    );
    await page.screenshot({
      path: path.join(SHOTS, 'ranking-first-screen.png'),
    });
  });

  it('narrows the ranking to a tier from the summary', async () => {
    const low = await api('/scorecards?tier=low');
    const all = await api('/scorecards?limit=1');
    await openServices(all.totalCount);
    await page.getByTestId('summary-tier-low').getByRole('button').click();
    await page
      .getByText(`1-${low.totalCount} of ${low.totalCount}`)
      .first()
      .waitFor({ state: 'attached' });
    const rows = await ranking().locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, low.totalCount);
  });

  it('reaches every column header by scrolling, the service column staying in view', async () => {
    const all = await api('/scorecards?limit=1');
    await openServices(all.totalCount);
    const headers = ranking().locator('thead th');
    const titles = (await headers.allInnerTexts()).map(t => t.trim());
    for (const title of [
      'Service',
      'Owner',
      'System',
      'Level',
      'CALMS',
      'Overall',
      'Deployment frequency',
      'Lead time',
      'Change failure rate',
      'Time to restore',
      'Rework',
    ])
      assert.ok(
        titles.some(
          t => t.replace(/\s+/g, ' ').toLowerCase() === title.toLowerCase(),
        ),
        `${title} is a column (${titles.join(', ')})`,
      );
    const service = headers.first();
    // At 1440 px the table is wider than its card: it scrolls, and the service column stays.
    const scroller = await ranking()
      .locator('table')
      .first()
      .evaluateHandle(el => {
        // The nearest ancestor that scrolls sideways (material-table's own wrapper).
        let p = el.parentElement;
        while (
          p &&
          !(
            ['auto', 'scroll'].includes(getComputedStyle(p).overflowX) &&
            p.scrollWidth > p.clientWidth
          )
        )
          p = p.parentElement;
        return p;
      });
    assert.ok(
      await scroller.evaluate(el => !!el && el.scrollWidth > el.clientWidth),
      'the ranking scrolls sideways at 1440 px',
    );
    const serviceX = (await service.boundingBox()).x;
    await scroller.evaluate(el => {
      el.scrollLeft = el.scrollWidth;
    });
    assert.ok(await scroller.evaluate(el => el.scrollLeft > 0));
    assert.equal(
      (await service.boundingBox()).x,
      serviceX,
      'the service column stays put when the rest scrolls',
    );
    await scroller.evaluate(el => {
      el.scrollLeft = 0;
    });
    for (let i = 0; i < titles.length; i++) {
      const h = headers.nth(i);
      await h.scrollIntoViewIfNeeded();
      assert.ok(await onTop(h), `${titles[i]} can be seen and clicked`);
      assert.ok(
        await onTop(service),
        `Service stays in view beside ${titles[i]}`,
      );
    }
    // Names are never broken: each service's and owner's link is one line box.
    for (const column of [1, 2]) {
      const links = ranking().locator(`tbody tr td:nth-child(${column}) a`);
      for (let i = 0; i < Math.min(await links.count(), 20); i++) {
        const text = await links.nth(i).innerText();
        const lines = await links.nth(i).evaluate(el => {
          const tops = new Set();
          for (const r of el.getClientRects()) tops.add(Math.round(r.top));
          return tops.size;
        });
        assert.equal(lines, 1, `"${text}" on one line`);
      }
    }
    await page.screenshot({ path: path.join(SHOTS, 'ranking-scrolled.png') });
  });

  it('keeps the columns and the row density each user chose', async () => {
    const all = await api('/scorecards?limit=1');
    await openServices(all.totalCount);
    const systemHeader = ranking().getByRole('columnheader', {
      name: 'System',
    });
    await systemHeader.waitFor();
    await page.getByRole('button', { name: 'Choose columns' }).click();
    await page.getByRole('menuitem', { name: 'System' }).click();
    await page.keyboard.press('Escape');
    await systemHeader.waitFor({ state: 'detached' });
    const dense = await ranking().getAttribute('data-dense');
    const firstHeight = (
      await ranking().locator('tbody tr').first().boundingBox()
    ).height;
    const other = dense === 'true' ? 'false' : 'true';
    await page.getByTestId('dense-rows').click();
    await page
      .locator(`[data-testid=services-ranking][data-dense=${other}]`)
      .waitFor();
    const rowHeight = await ranking().locator('tbody tr').first().boundingBox();
    // Dense rows are denser than the roomy ones, whichever way the toggle went.
    const [denseHeight, roomyHeight] =
      other === 'true'
        ? [rowHeight.height, firstHeight]
        : [firstHeight, rowHeight.height];
    assert.ok(
      denseHeight < roomyHeight,
      `dense ${denseHeight}px < roomy ${roomyHeight}px`,
    );

    // Kept for this user: the same choices after a reload.
    await openServices(all.totalCount);
    await page
      .locator(`[data-testid=services-ranking][data-dense=${other}]`)
      .waitFor();
    assert.equal(
      (await ranking().locator('tbody tr').first().boundingBox()).height,
      rowHeight.height,
    );
    assert.equal(
      await ranking().getByRole('columnheader', { name: 'System' }).count(),
      0,
    );
    await ranking().getByRole('columnheader', { name: 'Owner' }).waitFor();

    // Back to the defaults, for the other tests.
    await page.getByRole('button', { name: 'Choose columns' }).click();
    await page.getByRole('menuitem', { name: 'System' }).click();
    await page.keyboard.press('Escape');
    await systemHeader.waitFor();
    await page.getByTestId('dense-rows').click();
    await page
      .locator('[data-testid=services-ranking][data-dense=true]')
      .waitFor();
  });
});

/** The services `ownerRef` (and its sub-teams) owns, as the ranking's owner filter has them. */
async function servicesOf(ownerRef) {
  const owned = await api(
    `/scorecards?owner=${encodeURIComponent(ownerRef)}&limit=1000`,
  );
  return owned.items.map(i => i.entityRef);
}

/** Services whose maturity API answer says the check fails. */
async function failingByMaturityApi(entityRefs, checkId) {
  const failing = [];
  for (const ref of entityRefs) {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const m = await api(`/entities/${kind}/${namespace}/${name}/maturity`);
    if (m.checks.find(c => c.id === checkId)?.status === 'fail')
      failing.push(ref);
  }
  return failing.sort();
}

describe('the Golden path tab at 1440x900', () => {
  it('reaches every check of the matrix, the team column staying in view', async () => {
    const health = await api('/golden-path?days=90');
    await page.goto(`${APP}/devops-maturity/golden-path`);
    await page.getByTestId('golden-path-health').waitFor();
    const team = page.getByTestId('health-organisation').locator('td').first();
    for (const c of health.checks) {
      const header = page.getByTestId(`check-header-${c.id}`);
      await header.scrollIntoViewIfNeeded();
      assert.ok(await onTop(header), `${c.title} can be seen and clicked`);
      const box = await header.boundingBox();
      assert.ok(
        box.x + box.width <= VIEWPORT.width && box.x >= 0,
        `${c.title} inside the page`,
      );
      assert.ok(await onTop(team), `the team column beside ${c.title}`);
    }
    await page.screenshot({
      path: path.join(SHOTS, 'golden-path-scrolled.png'),
    });
  });

  it("lists exactly the services that /golden-path and the maturity API say fail a team's check", async () => {
    const health = await api('/golden-path?days=90');
    // The team cell with the most failures of a check: the most to compare.
    let pick;
    for (const row of health.teams)
      for (const c of health.checks) {
        const r = row.checks[c.id];
        const failing = r ? r.applicable - r.passed : 0;
        if (failing > 0 && (!pick || failing > pick.failing))
          pick = { row, check: c, failing };
      }
    assert.ok(pick, 'the demo has a failing check');
    const expected = await failingByMaturityApi(
      await servicesOf(pick.row.ownerRef),
      pick.check.id,
    );
    assert.equal(expected.length, pick.failing, 'the two APIs agree');

    await page.goto(`${APP}/devops-maturity/golden-path`);
    const cell = page.getByTestId(`cell-${pick.row.ownerRef}-${pick.check.id}`);
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    const list = page.getByTestId('failing-list');
    await list.waitFor();
    const listed = (
      await list
        .locator('[data-testid^="failing-"]')
        .evaluateAll(rows =>
          rows.map(r => r.getAttribute('data-testid').slice('failing-'.length)),
        )
    ).sort();
    assert.deepEqual(listed, expected);
    const fix = await page.getByTestId('failing-fix').innerText();
    assert.match(fix, /How to fix/);
    // Each row leads to its service's DevOps maturity tab.
    for (const ref of expected) {
      const [kind, namespace, name] = ref.split(/[:/]/);
      assert.equal(
        await list
          .getByTestId(`failing-${ref}`)
          .getByRole('link', { name: 'Maturity tab' })
          .getAttribute('href'),
        `/catalog/${namespace}/${kind}/${name}/maturity`,
      );
    }
    // The same list as CSV, as the backend writes it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /download csv/i }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(
      csv,
      await apiText(
        `/golden-path/failing?days=90&check=${
          pick.check.id
        }&owner=${encodeURIComponent(pick.row.ownerRef)}&format=csv`,
      ),
    );
    await page.screenshot({
      path: path.join(SHOTS, 'golden-path-failing.png'),
    });
    await page.keyboard.press('Escape');
  });

  it("lists every service failing a check, by team, from the check's title", async () => {
    const health = await api('/golden-path?days=90');
    const check = health.checks.find(c => {
      const r = health.organisation.checks[c.id];
      return r && r.applicable - r.passed > 1;
    });
    const expected = await api(
      `/golden-path/failing?days=90&check=${check.id}`,
    );
    await page.goto(`${APP}/devops-maturity/golden-path`);
    const header = page.getByTestId(`check-header-${check.id}`);
    await header.scrollIntoViewIfNeeded();
    await header.click();
    const list = page.getByTestId('failing-list');
    await list.waitFor();
    const listed = await list
      .locator('[data-testid^="failing-"]')
      .evaluateAll(rows =>
        rows.map(r => r.getAttribute('data-testid').slice('failing-'.length)),
      );
    // In the backend's order: by team, then by service.
    assert.deepEqual(
      listed,
      expected.items.map(i => i.entityRef),
    );
    const health2 = health.organisation.checks[check.id];
    assert.equal(listed.length, health2.applicable - health2.passed);
    await page.keyboard.press('Escape');
  });
});

/** Levels (or counts) from the chart's SVG: y of each vertex mapped through the axis ticks. */
function axisScale(ticks) {
  const [a, b] = [ticks[0], ticks[ticks.length - 1]];
  return y => a.value + ((y - a.y) * (b.value - a.value)) / (b.y - a.y);
}

describe('history, charted', () => {
  it("draws a service's level per day as the history API answers it", async () => {
    const all = await api('/scorecards?sort=name&order=asc&limit=1000');
    // The service with the most level changes in a year.
    let pick;
    for (const item of all.items) {
      const [kind, rest] = item.entityRef.split(':');
      const [namespace, name] = rest.split('/');
      const h = await api(
        `/entities/${kind}/${namespace}/${name}/maturity/history?days=365`,
      );
      const steps = h.points.filter(
        (p, i) => i > 0 && p.level !== h.points[i - 1].level,
      ).length;
      if (!pick || steps > pick.steps) pick = { name, h, steps };
    }
    assert.ok(pick.h.points.length > 1, 'the demo has history');

    await page.goto(`${APP}/catalog/default/component/${pick.name}/maturity`);
    const chart = page.getByTestId('maturity-history-chart');
    await chart.waitFor();
    await page.getByRole('button', { name: '365 days' }).click();
    await page
      .locator('[data-testid=maturity-history-chart][data-days="365"]')
      .waitFor();
    await chart.scrollIntoViewIfNeeded();
    const drawn = await chart.evaluate(el => {
      const axis = el.querySelector('.recharts-yAxis');
      const ticks = [...axis.querySelectorAll('.recharts-cartesian-axis-tick')]
        .map(t => {
          const text = t.querySelector('text');
          return {
            value: Number(text.textContent),
            y: Number(text.getAttribute('y')),
          };
        })
        .sort((a, b) => a.value - b.value);
      const line = el.querySelector('.recharts-line path.recharts-curve');
      const vertices = line
        .getAttribute('d')
        .replace(/^M/, '')
        .split('L')
        .map(p => p.split(',').map(Number));
      return { ticks, vertices };
    });
    // A step line after each point: point i is vertex 2i (then a horizontal run to the next).
    const { points } = pick.h;
    assert.equal(drawn.vertices.length, 2 * points.length - 1);
    const levelAt = axisScale(drawn.ticks);
    points.forEach((p, i) =>
      assert.equal(
        Math.round(levelAt(drawn.vertices[2 * i][1])),
        p.level,
        `level on ${p.day}`,
      ),
    );
    // The same points, CALMS score included, in the table under the chart.
    const table = await page
      .getByTestId('maturity-history-point')
      .evaluateAll(rows =>
        rows.map(r => ({
          day: r.getAttribute('data-day'),
          level: Number(r.getAttribute('data-level')),
          calms: r.getAttribute('data-calms'),
        })),
      );
    assert.deepEqual(
      table.sort((a, b) => a.day.localeCompare(b.day)),
      points.map(p => ({
        day: p.day,
        level: p.level,
        calms: p.calms === null ? '' : String(p.calms),
      })),
    );
    // Every day a check started or stopped passing, as the API lists them.
    const changes = await page
      .getByTestId('maturity-history-change')
      .allInnerTexts();
    assert.equal(changes.length, pick.h.changes.length);
    for (const c of pick.h.changes)
      assert.ok(
        changes.some(t => t.startsWith(`${c.day}: ${c.title}`)),
        `${c.day}: ${c.title} listed`,
      );
    await page.screenshot({ path: path.join(SHOTS, 'maturity-history.png') });
  });

  it("draws a team's weekly level mix as the team history API answers it", async () => {
    const teams = await api('/scorecards/owners?limit=100&sort=name&order=asc');
    const team = teams.items.find(t => t.entityRefs.length > 1);
    const [kind, rest] = team.ownerRef.split(':');
    const history = await api(`/owners/${kind}/${rest}/history?days=90`);
    await page.goto(`${APP}/devops-maturity/teams`);
    await page.getByTestId(`history-${team.ownerRef}`).click();
    const chart = page.locator(
      `[data-testid=team-history-chart][data-owner="${team.ownerRef}"]`,
    );
    await chart.waitFor();
    await chart.scrollIntoViewIfNeeded();
    const levelKeys = Object.keys(history.weeks[0].levels).sort(
      (a, b) => Number(a) - Number(b),
    );
    // One stacked series per level, then "no record": the i-th rectangle of a series is week i.
    const series = await chart.evaluate(el =>
      [...el.querySelectorAll('.recharts-bar')].map(bar =>
        [...bar.querySelectorAll('.recharts-bar-rectangle')].map(r => {
          const p = r.querySelector('path');
          return p ? Number(p.getAttribute('height')) : 0;
        }),
      ),
    );
    assert.equal(series.length, levelKeys.length + 1);
    const expected = [
      ...levelKeys.map(l => history.weeks.map(w => w.levels[l])),
      history.weeks.map(w => w.unrecorded),
    ];
    // Heights are counts on one scale: the same pixels per service everywhere.
    const perService =
      Math.max(...series.flat()) / Math.max(...expected.flat());
    expected.forEach((counts, s) => {
      assert.equal(series[s].length, history.weeks.length, `series ${s}`);
      counts.forEach((n, w) =>
        assert.ok(
          Math.abs(series[s][w] - n * perService) < 1.5,
          `series ${s}, week ${history.weeks[w].start}: ${series[s][w]}px for ${n}`,
        ),
      );
    });
    // The pooled DORA tiers of each week, as the API answers them.
    for (const metric of [
      'overallTier',
      'deploymentFrequency',
      'leadTime',
      'changeFailureRate',
      'timeToRestore',
    ]) {
      const drawn = await page
        .getByTestId(`team-history-tier-${metric}`)
        .evaluateAll(cells =>
          cells.map(c => [
            c.getAttribute('data-start'),
            c.getAttribute('data-tier'),
          ]),
        );
      assert.deepEqual(
        drawn,
        history.weeks.map(w => [w.start, w.dora[metric] ?? 'none']),
        metric,
      );
    }
    await page.screenshot({ path: path.join(SHOTS, 'team-history.png') });
  });
});
