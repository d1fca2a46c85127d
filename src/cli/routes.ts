import { availableParallelism } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';

/** `linli routes …`: the delivery route planner on CVRPLIB files. */
export function registerRoutesCommands(program: Command): void {
  const routes = program.command('routes').description('capacitated vehicle routing (CVRPLIB .vrp files)');
  routes.action(() => routes.help());

  routes
    .command('solve')
    .description('plan routes for FILE.vrp; routes are printed as .vrp node ids, depot excluded')
    .argument('<file>', 'CVRPLIB .vrp file (EUC_2D)')
    .option('--seconds <s>', 'time limit in seconds', '10')
    .option('--iterations <n>', 'stop after this many genetic iterations (with no time limit: reproducible)')
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'worker threads (1 = in this thread)', String(Math.min(2, availableParallelism())))
    .option('--max-routes <n>', 'fleet limit (default: unlimited, or VEHICLES from the file)')
    .option('--sol <path>', 'also write the solution as a CVRPLIB .sol file')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { seconds: string; iterations?: string; seed: string; threads: string; maxRoutes?: string; sol?: string; json?: boolean }) => {
      const { parseVrp, solveRoutesParallel, writeSol } = await import('../modules/routing');
      const problem = parseVrp(readFileSync(file, 'utf8'));
      if (opts.maxRoutes !== undefined) {
        const k = Number(opts.maxRoutes);
        if (!Number.isInteger(k) || k < 1) throw new Error('--max-routes must be a positive integer');
        problem.maxRoutes = k;
      }
      const iterations = opts.iterations !== undefined ? Number(opts.iterations) : undefined;
      const seconds = Number(opts.seconds);
      if (iterations === undefined && !(seconds > 0)) throw new Error('--seconds must be positive');
      const result = await solveRoutesParallel(problem, {
        seed: Number(opts.seed),
        threads: Number(opts.threads),
        timeLimitMs: iterations === undefined ? seconds * 1000 : undefined,
        maxIterations: iterations,
      });
      if (opts.sol) writeFileSync(opts.sol, writeSol(result.routes, result.cost));
      const ids = result.routes.map((r) => r.map((c) => problem.nodeIds[c]!));
      const out = {
        cost: result.cost,
        routes: ids,
        seconds: Math.round(result.elapsedMs) / 1000,
        name: problem.name,
        feasible: result.feasible,
        iterations: result.iterations,
        threads: result.threads,
      };
      if (opts.json) console.log(JSON.stringify(out));
      else {
        console.log(`${problem.name}: cost ${out.cost}, ${ids.length} routes, ${out.seconds} s, ${out.iterations} iterations, ${out.threads} thread(s)${out.feasible ? '' : ' — INFEASIBLE'}`);
        ids.forEach((r, k) => console.log(`  route ${k + 1}: ${r.join(' ')}`));
      }
    });
}
