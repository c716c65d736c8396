// Applies the install snippets of our READMEs to a fresh Backstage app, exactly as written, so
// that a README that does not work fails the adoption test.
//
// Usage: node apply-readme.mjs APP_DIR TAG README...
//
// A snippet is a fenced code block preceded by a marker comment (invisible on npm and GitHub)
// that says what the prose around it says in words:
//   <!-- TAG: run [expect "TEXT"] -->            run the block in APP_DIR (expect: in its output)
//   <!-- TAG: prepend FILE -->                    put the block at the top of FILE
//   <!-- TAG: insert FILE before "ANCHOR" [within "CONTEXT" ...] -->
//                                                 before ANCHOR (the first after each CONTEXT)
//   <!-- TAG: replace-statement FILE "TEXT" -->   replace the `backend.add(...)` naming TEXT
//   <!-- TAG: merge-yaml FILE -->                 merge the YAML block into FILE
// TAG separates the legacy app (`adoption`) from the new frontend system (`adoption-nfs`); a
// marker `adoption-all` applies to both, `adoption-live` once the app runs. Quoted arguments
// are JSON strings.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

const [appDir, tag, ...readmes] = process.argv.slice(2);

function parseArgs(text) {
  const args = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m;
  while ((m = re.exec(text)))
    args.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]);
  return args;
}

/**
 * Every marked snippet of a README, in order. A marker that is not followed by a code block
 * (a typo, prose in between) fails, so that no snippet is silently left untested.
 */
function snippets(readme) {
  const text = fs.readFileSync(readme, 'utf8');
  const re =
    /<!-- (adoption(?:-nfs|-all|-live)?): (.*?) -->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;
  const found = [];
  let matched = 0;
  let m;
  while ((m = re.exec(text))) {
    matched += 1;
    const forBoth = m[1] === 'adoption-all' && tag !== 'adoption-live';
    if (m[1] === tag || forBoth)
      found.push({ readme, args: parseArgs(m[2]), code: m[3] });
  }
  const markers = (text.match(/<!-- adoption/g) ?? []).length;
  if (markers !== matched) {
    console.error(
      `FAILED ${readme}: ${
        markers - matched
      } adoption marker(s) not followed by a code block`,
    );
    process.exit(1);
  }
  return found;
}

const indentOf = line => line.match(/^\s*/)[0];

function insertBefore(source, code, anchor, within) {
  const contexts = within.length ? within : [null];
  let out = source;
  for (const context of contexts) {
    const from = context === null ? 0 : out.indexOf(context);
    if (from < 0) throw new Error(`no ${JSON.stringify(context)}`);
    const at = out.indexOf(anchor, from);
    if (at < 0)
      throw new Error(
        `no ${JSON.stringify(anchor)} after ${JSON.stringify(context)}`,
      );
    const lineStart = out.lastIndexOf('\n', at) + 1;
    const previous = out.slice(0, lineStart).trimEnd().split('\n').pop() ?? '';
    const indent = indentOf(previous);
    const block = code
      .split('\n')
      .map(l => (l ? indent + l : l))
      .join('\n');
    // Anchors that start a line are inserted on a line of their own.
    const insertAt = out.slice(lineStart, at).trim() === '' ? lineStart : at;
    out = `${out.slice(0, insertAt)}${block}\n${out.slice(insertAt)}`;
  }
  return out;
}

function replaceStatement(source, code, text) {
  const at = source.indexOf(text);
  if (at < 0) throw new Error(`no ${JSON.stringify(text)}`);
  const start = source.lastIndexOf('backend.add(', at);
  const end = source.indexOf(');', at) + 2;
  if (start < 0 || end < 2)
    throw new Error(`no backend.add(...) around ${JSON.stringify(text)}`);
  return source.slice(0, start) + code + source.slice(end);
}

function mergeDeep(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      target[key] &&
      typeof target[key] === 'object'
    ) {
      mergeDeep(target[key], value);
    } else if (Array.isArray(value) && Array.isArray(target[key])) {
      // Lists are added to, as a reader adds a token to the ones they have.
      target[key] = [...target[key], ...value];
    } else {
      target[key] = value;
    }
  }
  return target;
}

let applied = 0;
for (const { readme, args, code } of readmes.flatMap(snippets)) {
  const [action, file, ...rest] = args;
  const where = `${path.basename(path.dirname(readme))}/README.md: ${action} ${
    file ?? ''
  }`;
  console.log(`applying ${where}`);
  try {
    if (action === 'run') {
      const expect = file === 'expect' ? rest[0] : undefined;
      // The block as one script, as a reader pastes it into a shell.
      const output = execSync(`set -euo pipefail\n${code}`, {
        cwd: appDir,
        encoding: 'utf8',
        shell: '/bin/bash',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      process.stdout.write(output);
      if (expect !== undefined && !output.includes(expect)) {
        throw new Error(
          `expected ${JSON.stringify(expect)} in the output, got ${output.slice(
            0,
            500,
          )}`,
        );
      }
    } else {
      const target = path.join(appDir, file);
      const source = fs.readFileSync(target, 'utf8');
      let result;
      if (action === 'prepend') result = `${code}\n${source}`;
      else if (action === 'insert') {
        const [before, anchor, within, ...contexts] = rest;
        if (before !== 'before')
          throw new Error('insert needs `before "ANCHOR"`');
        result = insertBefore(
          source,
          code,
          anchor,
          within === 'within' ? contexts : [],
        );
      } else if (action === 'replace-statement')
        result = replaceStatement(source, code, rest[0]);
      else if (action === 'merge-yaml') {
        const doc = YAML.parse(source) ?? {};
        result = YAML.stringify(mergeDeep(doc, YAML.parse(code)));
      } else throw new Error(`unknown action ${action}`);
      fs.writeFileSync(target, result);
    }
    applied += 1;
  } catch (e) {
    console.error(`FAILED ${where}: ${e.message}`);
    process.exit(1);
  }
}
if (applied === 0) {
  console.error(`no ${tag} snippets found in ${readmes.join(', ')}`);
  process.exit(1);
}
console.log(`${applied} README snippets applied`);
