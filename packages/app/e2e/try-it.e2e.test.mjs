// End-to-end: the README's "Try it" reports a deployment of this repository with the CLI, run
// exactly as the README writes it, and the DORA tab shows it with its commits. Runs last of the
// suites (by its name): it adds a deployment to Checkout API, whose figures the others read.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APP, SHOTS, api, launchSignedIn } from './support.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The README's command: the sh block after "Report a deployment as a pipeline step would". */
function readmeCommand() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('Report a deployment as a pipeline step would');
  assert.ok(from > 0, 'the README has no "Try it" deployment');
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(from));
  assert.ok(block, 'no sh block after it');
  return block[1];
}

let browser;
let page;

before(async () => {
  ({ browser, page } = await launchSignedIn({ width: 1440, height: 900 }));
});

after(async () => {
  await browser?.close();
});

describe("the README's Try it: a deployment reported with the CLI", () => {
  it('is stored with the five commits before HEAD, and listed first on the DORA tab', async () => {
    const command = readmeCommand();
    assert.match(command, /devops-maturity deployment/);
    const output = execFileSync('bash', ['-c', command], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    // "stored" on a fresh demo, as the README says; "updated" when this ran before on it.
    assert.match(
      output,
      /^deployment try-it-1 of component:default\/checkout-api: (stored|updated \(reported before\))$/m,
    );

    const expected = execFileSync(
      'git',
      ['log', '--format=%H', 'HEAD~5..HEAD'],
      { cwd: ROOT, encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const { items } = await api(
      '/entities/component/default/checkout-api/deployments?limit=1',
    );
    assert.equal(items[0].id, 'try-it-1');
    assert.equal(items[0].source, 'cli');
    assert.equal(items[0].sha, expected[0]);
    assert.deepEqual(
      items[0].commits.map(c => c.sha),
      expected,
    );

    await page.goto(`${APP}/catalog/default/component/checkout-api/dora`);
    const row = page.getByRole('row').filter({ hasText: 'try-it-1' }).first();
    await row.waitFor();
    await row.scrollIntoViewIfNeeded();
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.ok(cells.includes('production'), cells.join(' | '));
    assert.ok(cells.includes(String(expected.length)), cells.join(' | '));
    assert.ok(cells.includes('cli'), cells.join(' | '));
    const firstRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .first();
    assert.match(await firstRow.innerText(), /try-it-1/);
    await page.screenshot({ path: path.join(SHOTS, 'try-it-deployment.png') });
  });
});
