// End-to-end: the CALMS and DevOps maturity tabs, the self-assessment with the demo's real
// permission policy (the guest belongs to Checkout), and the ranking by level with golden-path
// health. Checked against the backend's own answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { API, APP, SHOTS, api, launchSignedIn } from './support.mjs';

let browser;
let page;

before(async () => {
  ({ browser, page } = await launchSignedIn());
});

after(async () => {
  await browser?.close();
});

/** The guest's own token, as the browser holds it: what a signed-in user sends. */
async function guestToken() {
  const res = await fetch(
    `${API.replace(/\/devops-maturity$/, '')}/auth/guest/refresh`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  assert.equal(res.status, 200);
  return (await res.json()).backstageIdentity.token;
}

const SERVICES = (
  await api('/scorecards?limit=1000&sort=name&order=asc')
).items.map(i => i.entityRef.split('/').pop());

describe('the DevOps maturity and CALMS tabs', () => {
  SERVICES.forEach(name => {
    it(`show ${name}'s level, checks with evidence, and CALMS radar`, async () => {
      const m = await api(`/entities/component/default/${name}/maturity`);
      await page.goto(`${APP}/catalog/default/component/${name}/maturity`);
      await page.getByTestId('maturity-ladder').waitFor();
      await page.getByText(`Level ${m.level}: ${m.name}`).first().waitFor();
      assert.equal(
        await page.getByTestId(`level-${m.level}`).getAttribute('aria-current'),
        m.level > 0 ? 'step' : null,
      );
      for (const check of m.checks) {
        const row = await page.getByTestId(`check-${check.id}`).innerText();
        const word = { pass: 'Pass', fail: 'Fail', 'not-applicable': 'N/A' };
        assert.ok(row.includes(word[check.status]), `${check.id}: ${row}`);
        assert.ok(
          row.includes(check.evidence),
          `${check.id} shows "${check.evidence}"`,
        );
      }
      if (m.nextSteps.length) {
        const steps = await page.getByTestId('next-steps').innerText();
        for (const s of m.nextSteps)
          assert.ok(steps.includes(s.label), `next step ${s.label}`);
      }

      await page.goto(`${APP}/catalog/default/component/${name}/calms`);
      const radar = page.getByTestId('calms-radar');
      await radar.locator('svg').first().waitFor();
      for (const pillar of m.calms.pillars) {
        assert.equal(
          await page.getByTestId(`pillar-score-${pillar.pillar}`).innerText(),
          pillar.score === null ? '–' : String(pillar.score),
        );
      }
      const basis = await page.getByTestId('calms-basis').innerText();
      assert.match(
        basis,
        m.calms.basis === 'signals-only' ? /signals only/ : /counts/,
      );
    });
  });

  it('keep a screenshot of each tab', async () => {
    await page.goto(`${APP}/catalog/default/component/payments-api/maturity`);
    await page.getByTestId('maturity-ladder').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'maturity-tab.png') });
    await page.goto(`${APP}/catalog/default/component/payments-api/calms`);
    await page.getByTestId('calms-radar').locator('svg').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'calms-tab.png') });
  });
});

describe('the CALMS self-assessment', () => {
  const answersOf = questions =>
    Object.fromEntries(questions.map(q => [q.id, 4]));

  it("is read-only for a service the guest's team does not own, and the backend refuses it (403)", async () => {
    await page.goto(`${APP}/catalog/default/component/payments-api/calms`);
    await page.getByTestId('assessment-read-only').waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Submit assessment' }).count(),
      0,
    );
    const { questions } = await api(
      '/entities/component/default/payments-api/calms/assessment',
    );
    const res = await fetch(
      `${API}/entities/component/default/payments-api/calms/assessment`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await guestToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ answers: answersOf(questions) }),
      },
    );
    assert.equal(res.status, 403);
    assert.equal(
      (await res.json()).error.message,
      'Only members of the team that owns component:default/payments-api may submit its assessment',
    );
  });

  it("is a form for the guest's own service: answering it counts at once and lifts the level", async () => {
    const started = Date.now();
    const { questions } = await api(
      '/entities/component/default/checkout-web/calms/assessment',
    );
    await page.goto(`${APP}/catalog/default/component/checkout-web/calms`);
    const submit = page.getByRole('button', { name: 'Submit assessment' });
    await submit.waitFor();
    for (const q of questions) {
      await page
        .getByTestId(`question-${q.id}`)
        .getByLabel('Agree', { exact: true })
        .check();
    }
    await submit.click();
    await page
      .getByTestId('calms-basis')
      .filter({ hasText: 'by user:development/guest counts' })
      .waitFor();
    // The form stays open for a revision, with the stored answers.
    await page
      .locator(
        '[data-testid=assessment-form] button[type=submit]:not([disabled])',
      )
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'calms-submitted.png') });

    const stored = await api(
      '/entities/component/default/checkout-web/calms/assessment',
    );
    assert.equal(stored.current.author, 'user:development/guest');
    assert.ok(Date.parse(stored.current.submittedAt) >= started - 1000);
    assert.deepEqual(stored.current.answers, answersOf(questions));
    const m = await api('/entities/component/default/checkout-web/maturity');
    assert.ok(
      !m.nextSteps.some(s => s.label === 'CALMS self-assessment current'),
      'the assessment criterion passes',
    );
    assert.equal(m.calms.basis, 'signals-and-assessment');
  });
});

describe('the ranking by maturity', () => {
  it('sorts services by level on the server', async () => {
    const top = await api('/scorecards?sort=maturityLevel&order=desc&limit=3');
    const bottom = await api(
      '/scorecards?sort=maturityLevel&order=asc&limit=1',
    );
    await page.goto(`${APP}/devops-maturity`);
    await page.getByTestId('summary-tiers').waitFor();
    // material-table sorts ascending on the first click
    await page.getByRole('columnheader', { name: 'Level' }).click();
    await page
      .locator('table tbody tr')
      .first()
      .filter({ hasText: bottom.items[0].title })
      .waitFor();
    await page.getByRole('columnheader', { name: 'Level' }).click();
    await page
      .locator('table tbody tr')
      .first()
      .filter({ hasText: top.items[0].title })
      .waitFor();
    const first = await page.locator('table tbody tr').first().innerText();
    assert.ok(
      first.includes(
        `${top.items[0].maturity.level} ${top.items[0].maturity.name}`,
      ),
      `first row "${first}" shows level ${top.items[0].maturity.level}`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'ranking-by-level.png') });
  });

  it('shows golden-path health per team as the backend counts it', async () => {
    const health = await api('/golden-path');
    await page.goto(`${APP}/devops-maturity/golden-path`);
    await page.getByTestId('golden-path-health').waitFor();
    const org = await page.getByTestId('health-organisation').innerText();
    assert.ok(org.includes(String(health.organisation.entities)));
    const checkout = health.teams.find(
      t => t.ownerRef === 'group:default/team-checkout',
    );
    const row = await page
      .getByTestId('health-group:default/team-checkout')
      .innerText();
    const runbook = checkout.checks.runbook;
    assert.ok(
      row.includes(
        `${Math.round((runbook.passed / runbook.applicable) * 100)}%`,
      ),
      `Checkout's runbook pass rate in "${row}"`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'golden-path.png') });
  });
});
