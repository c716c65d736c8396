// The reliability suite's runner: runs each probe for a profile, collects the JSON figures each
// writes into one directory, and renders them as Markdown with the command, the date and the
// commit. The full profile writes docs/reliability.md; the short one (CI) writes
// test-results/reliability/reliability.md.
//
// Usage: node scripts/reliability/run.mjs [--profile short|full] [--only crash,bad-input,...]
//        [--render-only]   (render the JSON already in the directory, run nothing)
//        [--jest-done]     (the Jest probes ran already, in this RELIABILITY_OUT: CI's Jest step)
//        [--write-doc]     (write docs/reliability.md whatever the profile)
//
// A probe is "ok" when what it promises holds (nothing acknowledged lost, no 5xx, every
// authorization cell as expected); a figure that misses a speed bound is reported as missed,
// with its reason, and does not fail the run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const flag = name => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const profile = flag('--profile') ?? 'full';
if (!['short', 'full'].includes(profile)) {
  console.error(`--profile: '${profile}' is not short or full`);
  process.exit(2);
}
const only = flag('--only')?.split(',');
const renderOnly = args.includes('--render-only');
const jestDone = args.includes('--jest-done');
const OUT = path.resolve(
  process.env.RELIABILITY_OUT ?? path.join(ROOT, 'test-results/reliability'),
);
fs.mkdirSync(OUT, { recursive: true });

/**
 * The probes, in the order of the document. `jest` probes are tests of the backend plugin (they
 * also run, in their short profile, in every Jest run); `script` probes start real backends.
 */
const PROBES = [
  {
    id: 'crash',
    run: { script: 'scripts/reliability/crash.mjs' },
  },
  {
    id: 'load',
    run: { script: 'scripts/reliability/load.mjs' },
  },
  {
    id: 'bad-input',
    run: { jest: 'src/reliability/badInput.test.ts' },
  },
  {
    id: 'authorization',
    run: { jest: 'src/reliability/authorizationMatrix.test.ts' },
  },
];

const selected = PROBES.filter(p => !only || only.includes(p.id));
const env = {
  ...process.env,
  RELIABILITY_PROFILE: profile,
  RELIABILITY_OUT: OUT,
};

if (!renderOnly) {
  for (const probe of selected) {
    if (jestDone && probe.run.jest) continue;
    fs.rmSync(path.join(OUT, `${probe.id}.json`), { force: true });
    console.error(`==> reliability: ${probe.id} (${profile})`);
    const result = probe.run.script
      ? spawnSync(process.execPath, [probe.run.script, '--profile', profile], {
          cwd: ROOT,
          env,
          stdio: 'inherit',
        })
      : spawnSync(
          'yarn',
          ['backstage-cli', 'package', 'test', probe.run.jest],
          {
            cwd: path.join(ROOT, 'plugins/devops-maturity-backend'),
            env: { ...env, CI: 'true' },
            stdio: 'inherit',
          },
        );
    if (result.status !== 0)
      console.error(`${probe.id}: exited ${result.status}`);
  }
}

const results = selected.map(probe => {
  const file = path.join(OUT, `${probe.id}.json`);
  if (!fs.existsSync(file)) {
    return {
      probe: probe.id,
      title: probe.id,
      ok: false,
      figures: [],
      tables: [],
      notes: [
        `The probe wrote no figures (${path.relative(
          ROOT,
          file,
        )}): it did not run to its end.`,
      ],
    };
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
});

const cell = v =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const table = (header, rows) =>
  [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
const met = m => {
  if (m === true) return 'met';
  if (m === false) return '**missed**';
  return '';
};

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
})();
const command =
  profile === 'full'
    ? 'yarn test:reliability'
    : 'yarn test:reliability --profile short';

const lines = [
  '# Reliability: what the plugin promises, measured',
  '',
  `Figures of the **${profile}** profile: \`${command}\` (\`./scripts/reliability.sh\`), rendered`,
  `on ${new Date().toISOString().slice(0, 10)} at commit ${commit}, ${
    os.cpus().length
  } cores, Node ${
    process.versions.node
  }; each probe says when its run started.`,
  'Everything runs on loopback against real backends and databases; each probe below says what it',
  'does. A probe fails the run when a promise breaks (an acknowledged event lost, a 5xx, an',
  'authorization cell not as designed); a speed figure that misses its bound is marked **missed**',
  'with the reason, and does not fail it. CI runs the short profile on every change.',
  '',
  table(
    ['probe', 'result'],
    results.map(r => [r.title ?? r.probe, r.ok ? 'holds' : '**FAILED**']),
  ),
  '',
];
for (const r of results) {
  lines.push(`## ${r.title ?? r.probe}`, '');
  if (r.durationSeconds !== undefined)
    lines.push(
      `Run time ${Math.round(r.durationSeconds)} s (${
        r.profile ?? profile
      } profile)${
        r.startedAt ? `, started ${r.startedAt.slice(0, 16)}Z` : ''
      }.`,
      '',
    );
  if (r.figures?.length) {
    lines.push(
      table(
        ['figure', 'value', 'bound', ''],
        r.figures.map(f => [f.name, f.value, f.bound ?? '', met(f.met)]),
      ),
      '',
    );
  }
  for (const t of r.tables ?? []) {
    if (t.caption) lines.push(`${t.caption}:`, '');
    lines.push(table(t.header, t.rows), '');
  }
  for (const note of r.notes ?? []) lines.push(`- ${note}`);
  if (r.notes?.length) lines.push('');
}

if (profile !== 'full') {
  // Said here, so that the document never reads as more than it is.
  lines.push(
    '## Not measured in this run',
    '',
    '- These are figures of the short profile. The full profile (1,000,000 events per database',
    '  in the crash probe, 60 s of load, 10,000 generated bad requests per database) is run with',
    '  `yarn test:reliability`.',
    '',
  );
}

const target =
  (profile === 'full' && !only) || args.includes('--write-doc')
    ? path.join(ROOT, 'docs/reliability.md')
    : path.join(OUT, 'reliability.md');
fs.writeFileSync(target, `${lines.join('\n').trimEnd()}\n`);
spawnSync('yarn', ['prettier', '--write', '--loglevel', 'warn', target], {
  cwd: ROOT,
  stdio: 'inherit',
});
console.error(`reliability: ${path.relative(ROOT, target)} written`);
const failed = results.filter(r => !r.ok).map(r => r.probe);
if (failed.length) {
  console.error(`reliability: FAILED: ${failed.join(', ')}`);
  process.exit(1);
}
console.error('reliability: every promise holds');
