#!/usr/bin/env node
// Checked before anything else is loaded, so an old Node.js gets this line, not a syntax error.
const MIN_NODE = [20, 19];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
  process.stderr.write(`archdoc: needs Node.js ${MIN_NODE.join('.')} or later (package.json "engines"); this is Node.js ${process.versions.node}\n`);
  process.exit(2);
}
const { main } = await import('../dist/src/cli/main.js');

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  // Progress lines are for a person watching a terminal; CI logs get the summary only.
  isTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI,
});
process.exitCode = code;
