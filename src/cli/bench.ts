import type { Command } from 'commander';

/** `linli bench <name>`: each benchmark lives in bench/ and registers here. */
export function registerBenchCommands(bench: Command): void {
  bench.action(() => bench.help());
}
