import { Command, CommanderError, Option } from 'commander';
import { apiBaseOf, BackendClient, IngestResult } from './client';
import { detectCiRun } from './ciRun';
import {
  CommandContext,
  DeploymentItem,
  DeploymentOptions,
  reportDeployment,
} from './deployment';
import { CliError, ExitCode, usageError } from './errors';
import { IncidentItem, IncidentOptions, incidentToReport } from './incident';

/** Where the command writes, and what it reads; tests give their own. */
export interface Io {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => Date;
  /** Waits between retries. */
  sleep?: (ms: number) => Promise<void>;
}

interface ConnectionOptions {
  server?: string;
  retries: string;
  timeout: string;
  dryRun: boolean;
}

const SOURCE_HELP =
  'the source the id is unique within; the backend keys events by (source, id)';

function positiveInteger(option: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw usageError(`${option}: '${value}' is not a whole number`);
  return Number(value);
}

/** The backend client from DEVOPS_MATURITY_URL / --server and DEVOPS_MATURITY_TOKEN. */
function connect(
  options: ConnectionOptions,
  io: Io,
  log: (line: string) => void,
): BackendClient | undefined {
  const url = options.server ?? io.env.DEVOPS_MATURITY_URL;
  const token = io.env.DEVOPS_MATURITY_TOKEN;
  if (!url || !token) {
    if (options.dryRun) return undefined;
    throw usageError(
      !url
        ? 'DEVOPS_MATURITY_URL is not set: the Backstage backend, e.g. https://backstage.example.com (or pass --server)'
        : 'DEVOPS_MATURITY_TOKEN is not set: a backend.auth.externalAccess token allowed devops-maturity.events.create',
    );
  }
  return new BackendClient({
    apiBase: apiBaseOf(url),
    token,
    retries: positiveInteger('--retries', options.retries),
    timeoutMs: positiveInteger('--timeout', options.timeout) * 1000,
    sleep: io.sleep,
    log,
  });
}

function summary(result: IngestResult): string {
  if (result.unmatched) {
    return 'kept unmatched: the catalog has no such scored entity yet (the backend keeps it and stores it when the entity appears; see GET /unmatched)';
  }
  if (result.stale) return 'not stored: a newer copy is stored already';
  return result.updated ? 'updated (reported before)' : 'stored';
}

/** Options every command that talks to the backend takes. */
function withConnection(command: Command): Command {
  return command
    .option(
      '--server <url>',
      'the Backstage backend (default: $DEVOPS_MATURITY_URL)',
    )
    .option(
      '--retries <n>',
      'attempts after the first on network errors and 5xx',
      '4',
    )
    .option('--timeout <seconds>', 'per attempt', '30')
    .option('--dry-run', 'print the payload instead of sending it', false);
}

/**
 * Runs the command line `argv` (as process.argv) and resolves to the exit code. Never exits
 * the process itself, so that it can be tested in one.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const log = (line: string) => io.stderr(`devops-maturity: ${line}\n`);
  const out = (line: string) => io.stdout(`${line}\n`);
  const ciRun = detectCiRun(io.env);
  const now = io.now ?? (() => new Date());

  const contextFor = (options: ConnectionOptions): CommandContext => ({
    client: connect(options, io, log),
    ciRun,
    now,
    log,
    out,
  });

  async function send(
    kind: 'deployments' | 'incidents',
    item: DeploymentItem | IncidentItem,
    context: CommandContext,
    dryRun: boolean,
  ) {
    if (dryRun || !context.client) {
      out(JSON.stringify({ items: [item] }, null, 2));
      return;
    }
    const result = await context.client.push(kind, item).catch(e => {
      if (e instanceof CliError && e.exitCode === ExitCode.NotDelivered) {
        // Enough to send the same report again later, by hand or in a later step.
        const again =
          kind === 'deployments'
            ? `the same command with --id '${item.id}' --finished-at ${
                (item as DeploymentItem).finishedAt
              }, or `
            : '';
        log(
          `not delivered; to report it again later, run ${again}POST {"items":[...]} with this item to /api/devops-maturity/${kind}: ${JSON.stringify(
            item,
          )}`,
        );
      }
      throw e;
    });
    out(
      `${kind === 'deployments' ? 'deployment' : 'incident'} ${item.id} of ${
        item.entityRef
      }: ${summary(result)}`,
    );
  }

  const program = new Command('devops-maturity')
    .description(
      'Reports deployments and incidents to the devops-maturity Backstage plugin.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout(text),
      writeErr: text => io.stderr(text),
    })
    .showHelpAfterError();

  withConnection(
    program
      .command('deployment')
      .description(
        "Report a deployment, with the commits it brings: git log since the entity's previous successful production deployment.",
      )
      .requiredOption(
        '--entity <ref>',
        'the catalog entity deployed, e.g. component:default/checkout-api',
      )
      .addOption(
        new Option(
          '--env <environment>',
          "e.g. production, staging (default: GitLab's CI_ENVIRONMENT_NAME)",
        ).env('DEVOPS_MATURITY_ENVIRONMENT'),
      )
      .option(
        '--status <status>',
        "success or failure; a CI system's words too (failed, cancelled, ...)",
        'success',
      )
      .option(
        '--id <id>',
        'unique per deployment (default: from the CI run, the entity and the environment)',
      )
      .option('--source <source>', SOURCE_HELP, 'cli')
      .option('--version <version>', 'the version deployed')
      .option(
        '--url <link>',
        'a link to the pipeline run (default: the CI run)',
      )
      .option(
        '--started-at <time>',
        'ISO-8601 with an offset, e.g. 2026-11-20T10:02:00Z',
      )
      .option('--finished-at <time>', 'ISO-8601 with an offset (default: now)')
      .option('--kind <kind>', 'normal, rollback or hotfix')
      .option(
        '--fixes <id>',
        'the id of the deployment or incident this one repairs',
      )
      .option('--actor <who>', 'who deployed (default: from the CI run)')
      .option(
        '--label <key=value>',
        'a label, repeatable',
        (value: string, all: string[]) => [...all, value],
        [] as string[],
      )
      .option(
        '--repo <path>',
        "the deployed repository's checkout",
        io.env.DEVOPS_MATURITY_REPO ?? '.',
      )
      .option('--sha <revision>', 'the revision deployed', 'HEAD')
      .option(
        '--since <sha>',
        "the previous production deployment's commit (default: asked of the backend)",
      )
      .option(
        '--no-commits',
        'send no commits (the deployment counts as partial lead-time coverage)',
      ),
  ).action(async (options: DeploymentOptions & ConnectionOptions) => {
    const context = contextFor(options);
    const item = await reportDeployment(options, context);
    await send('deployments', item, context, options.dryRun);
  });

  const incident = program
    .command('incident')
    .description('Report a production incident: open or resolve.');
  for (const action of ['open', 'resolve'] as const) {
    withConnection(
      incident
        .command(action)
        .description(
          action === 'open'
            ? 'Report an incident opened (now, or --opened-at).'
            : 'Report an incident resolved (now, or --resolved-at); what was reported at open is kept.',
        )
        .requiredOption(
          '--id <id>',
          "the incident's id, e.g. from the incident tool",
        )
        .requiredOption('--entity <ref>', 'the catalog entity that failed')
        .option('--source <source>', SOURCE_HELP, 'cli')
        .option('--opened-at <time>', 'ISO-8601 with an offset')
        .option('--resolved-at <time>', 'ISO-8601 with an offset')
        .option('--severity <severity>', 'e.g. SEV1')
        .option('--title <title>', 'a short title')
        .option('--url <link>', 'a link to the incident')
        .option('--postmortem-url <link>', 'a link to the postmortem')
        .option(
          '--deployment-id <id>',
          'the deployment that caused it (same source)',
        )
        .option('--cause-sha <sha>', 'a commit that caused it'),
    ).action(async (options: IncidentOptions & ConnectionOptions) => {
      const context = contextFor(options);
      const item = await incidentToReport(action, options, context);
      if (item) await send('incidents', item, context, options.dryRun);
    });
  }

  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (e instanceof CliError) {
      log(e.message);
      return e.exitCode;
    }
    log(`unexpected error: ${(e as Error)?.stack ?? e}`);
    return ExitCode.NotDelivered;
  }
}
