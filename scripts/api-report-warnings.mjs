// Fails when an API report carries a warning on a declaration: a missing release tag, an
// export that refers to one that is not exported, a public type that refers to an internal
// one. (Undocumented members are listed at the end of a report and do not fail.)
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
);
let found = 0;
for (const dir of fs.readdirSync(path.join(root, 'plugins'))) {
  if (!fs.statSync(path.join(root, 'plugins', dir)).isDirectory()) continue;
  const pkg = path.join(root, 'plugins', dir);
  for (const file of fs
    .readdirSync(pkg)
    .filter(f => /^report.*\.api\.md$/.test(f))) {
    fs.readFileSync(path.join(pkg, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.includes('// Warning:')) {
          console.error(`plugins/${dir}/${file}:${i + 1}: ${line.trim()}`);
          found += 1;
        }
      });
  }
}
if (found) {
  console.error(
    `${found} API report warning(s): fix them, then run yarn build:api-reports`,
  );
  process.exit(1);
}
