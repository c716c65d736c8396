const { chromium } = require('playwright-core');
(async () => {
  const [url, out, waitFor, height] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: Number(height || 900) },
  });
  const logs = [];
  page.on('console', m => {
    if (m.type() === 'error') logs.push(m.text().slice(0, 300));
  });
  await page.goto('http://localhost:3000/', {
    waitUntil: 'networkidle',
    timeout: 120000,
  });
  const enter = page.getByRole('button', { name: /enter/i });
  if (await enter.count()) await enter.first().click();
  await page.waitForTimeout(500);
  await page.goto(url, { waitUntil: 'networkidle', timeout: 120000 });
  if (waitFor)
    await page
      .getByText(waitFor)
      .first()
      .waitFor({ timeout: 60000 })
      .catch(e => logs.push('wait: ' + e.message.slice(0, 100)));
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, fullPage: true });
  console.log('console errors:', logs.slice(0, 8));
  await browser.close();
})().catch(e => {
  console.error(e);
  process.exit(1);
});
