// Readies a fresh create-app app for the adoption test, with what is not ours to document:
// - the resolutions this machine's registry needs for Backstage 1.55 (binaries it lacks), and
//   the signals backend at the version the template names: its newest patch (0.3.21) needs a
//   newer backend-defaults and stops a fresh app from starting at all (not ours to fix);
// - our packages resolved to their tarballs, as the root README's "from tarballs" step says
//   (once they are on npm, `yarn add` finds them without this);
// - test data: a service owned by another team, so that the guest is not its owner;
// - the catalog read every 10 s instead of 5 minutes, so the test does not wait for it.
// Nothing here wires the plugin: that is the READMEs' snippets alone.
//
// Usage: node prepare-app.mjs APP_DIR PACK_DIR
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [appDir, packDir] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);

const pkgFile = path.join(appDir, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
pkg.resolutions = {
  ...pkg.resolutions,
  ...JSON.parse(
    fs.readFileSync(path.join(here, 'resolutions-backstage-1.55.json'), 'utf8'),
  ),
  '@backstage/plugin-signals-backend': '0.3.19',
};
for (const file of fs.readdirSync(packDir).filter(f => f.endsWith('.tgz'))) {
  const tarball = path.resolve(packDir, file);
  const name = JSON.parse(
    // The name inside the tarball, not guessed from the file name.
    execSync(
      `tar xzf ${JSON.stringify(tarball)} -O package/package.json`,
    ).toString(),
  ).name;
  pkg.resolutions[name] = `file:${tarball}`;
}
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);

fs.appendFileSync(
  path.join(appDir, 'examples/entities.yaml'),
  `
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: adoption-service
spec:
  type: service
  lifecycle: production
  owner: team-b
`,
);

fs.appendFileSync(
  path.join(appDir, 'app-config.local.yaml'),
  `
devopsMaturity:
  catalog:
    schedule:
      frequency: { seconds: 10 }
      timeout: { minutes: 2 }
      initialDelay: { seconds: 2 }
`,
);
console.log(
  `prepared ${appDir}: ${Object.keys(pkg.resolutions).length} resolutions`,
);
