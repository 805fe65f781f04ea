#!/usr/bin/env node
'use strict';
// `esor-intake worker|poller|dashboard|start`, but always from the TypeScript
// sources (through tsx), never from a dist/ that may be older than the code
// under test. The roles go to run-commands directly: services/cli.ts loads it
// with a dynamic import(), which tsx's require hook does not see. Any other
// command (`users add ...`) goes through the CLI's main. tsx's ESM hook is
// registered for every command: `start` imports the local stack (dev/local)
// the same way, only when it runs the demo. With E2E_STAGE_HOOKS=1 the fault
// tests' stage hooks are installed first.
require('tsx/cjs');
require('tsx/esm');
const path = require('node:path');
if (process.env.E2E_STAGE_HOOKS === '1') require(path.join(__dirname, 'stage-hooks.ts')).installStageHooks();
const command = process.argv[2];
const io = { stdout: process.stdout, stderr: process.stderr };
const ROLES = ['start', 'worker', 'poller', 'dashboard'];
let run;
if (ROLES.includes(command)) {
  const { runRoles } = require(path.join(__dirname, '..', '..', 'services', 'run-commands.ts'));
  run = runRoles(command === 'start' ? 'start' : [command], io);
} else {
  run = require(path.join(__dirname, '..', '..', 'services', 'cli.ts')).main(process.argv.slice(2));
}
run.then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`esor-intake: ${err && err.message ? err.message.split('\n')[0] : err}\n`); process.exitCode = 1; },
);
