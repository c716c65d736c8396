// What the end-to-end suites share: where the demo runs, the API read with the demo's push token,
// and a Chromium page signed in as the demo's guest.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const APP = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const API =
  process.env.E2E_API_URL ?? 'http://localhost:7007/api/devops-maturity';
export const TOKEN = process.env.E2E_TOKEN ?? 'demo-push-token-change-me';
export const SHOTS = path.resolve(
  process.env.E2E_SCREENSHOTS ?? 'test-results/screenshots',
);
fs.mkdirSync(SHOTS, { recursive: true });

/** GET on the plugin's API as a service; fails the test on anything but 200. */
export async function api(p) {
  const res = await fetch(`${API}${p}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(res.status, 200, `${p} answered ${res.status}`);
  return res.json();
}

/** GET on the plugin's API as a service, as text (CSV); fails the test on anything but 200. */
export async function apiText(p) {
  const res = await fetch(`${API}${p}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(res.status, 200, `${p} answered ${res.status}`);
  return res.text();
}

/** Launches Debian's Chromium and signs in as the demo's guest. */
export async function launchSignedIn(viewport = { width: 1440, height: 1800 }) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(60_000);
  await page.goto(APP);
  // The demo, like a new app, signs in as guest; the new frontend system's app shows the
  // catalog at / rather than /catalog, so wait for the sign-in page to go, not for a URL.
  const enter = page.getByRole('button', { name: /enter/i }).first();
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  return { browser, page };
}
