import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkSolution, parseSol, parseVrp, solutionCost } from '../modules/routing';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/linli.js', import.meta.url));
const vrp = fileURLToPath(new URL('../modules/routing/fixtures/P-n16-k8.vrp', import.meta.url));

describe('linli routes solve', () => {
  it('prints cost, routes as .vrp node ids, seconds; and writes a .sol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-routes-'));
    try {
      const sol = join(dir, 'out.sol');
      const { stdout } = await run(process.execPath, [bin, 'routes', 'solve', vrp, '--iterations', '200', '--seed', '3', '--threads', '1', '--sol', sol, '--json']);
      const out = JSON.parse(stdout) as { cost: number; routes: number[][]; seconds: number };
      expect(out.seconds).toBeGreaterThan(0);
      const problem = parseVrp(readFileSync(vrp, 'utf8'));
      // .vrp ids: the depot is node 1, customers 2..16; internal index = id − 1.
      const internal = out.routes.map((r) => r.map((id) => id - 1));
      expect(checkSolution(problem, internal).feasible).toBe(true);
      expect(solutionCost(problem, internal)).toBe(out.cost);
      expect(out.cost).toBe(450);
      const written = parseSol(readFileSync(sol, 'utf8'));
      expect(written.cost).toBe(out.cost);
      expect(written.routes).toEqual(internal);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
