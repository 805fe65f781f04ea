#!/usr/bin/env node
'use strict';
// `esor-intake worker|poller|start`, but always from the TypeScript sources
// (through tsx), never from a dist/ that may be older than the code under
// test. It calls run-commands directly: services/cli.ts loads it with a
// dynamic import(), which tsx's require hook does not see. With
// E2E_STAGE_HOOKS=1 the fault tests' stage hooks are installed first.
require('tsx/cjs');
const path = require('node:path');
if (process.env.E2E_STAGE_HOOKS === '1') require(path.join(__dirname, 'stage-hooks.ts')).installStageHooks();
const { runRoles } = require(path.join(__dirname, '..', '..', 'services', 'run-commands.ts'));
const command = process.argv[2];
runRoles(command === 'start' ? 'start' : [command], { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`esor-intake: ${err && err.message ? err.message.split('\n')[0] : err}\n`); process.exitCode = 1; },
);
