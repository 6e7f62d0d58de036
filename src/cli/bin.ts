/**
 * Entry point of the `mmcheck` executable (bin/mmcheck.js imports the compiled file): binds the real
 * standard streams, working directory and clock to `main`, and sets the process exit code.
 */
import { performance } from 'node:perf_hooks';
import { type Io, main } from './main.js';

const realIo: Io = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  cwd: process.cwd(),
  now: () => performance.now(),
};

process.exitCode = await main(process.argv.slice(2), realIo);
