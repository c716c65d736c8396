/**
 * The `devops-maturity` command: reports deployments (with the commits each brings, from git)
 * and incidents to the devops-maturity Backstage plugin from any CI pipeline.
 *
 * @packageDocumentation
 */
import { run } from './main';

run(process.argv, {
  env: process.env,
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
}).then(code => {
  process.exitCode = code;
});
