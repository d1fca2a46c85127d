import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSol, parseVrp, writeSol } from './cvrplib';
import { checkSolution, euc2d, solutionCost } from './problem';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('CVRPLIB reader and writer', () => {
  it('reads a .vrp file: depot first, rounded EUC_2D costs, node ids kept', () => {
    const p = parseVrp(fixture('A-n32-k5.vrp'));
    expect(p.name).toBe('A-n32-k5');
    expect(p.n).toBe(31);
    expect(p.capacity).toBe(100);
    expect(p.nodeIds[0]).toBe(1);
    expect(p.nodeIds[31]).toBe(32);
    // Node 1 (depot) is at (82,76), node 2 at (96,44): sqrt(14² + 32²) = 34.93 → 35.
    expect(p.dist[1]).toBe(35);
    expect(p.dist[1 * 32]).toBe(35);
    expect(p.demand[1]).toBe(19);
    expect(p.demand.reduce((s, d) => s + d, 0)).toBe(410);
  });

  it('rounds half up, as TSPLIB nint does', () => {
    expect(euc2d(0, 0, 0.5, 0)).toBe(1);
    expect(euc2d(0, 0, 3, 4)).toBe(5);
    expect(euc2d(0, 0, 1, 1)).toBe(1);
  });

  it('reads a .sol file whose recomputed cost equals its Cost line', () => {
    const p = parseVrp(fixture('A-n32-k5.vrp'));
    const sol = parseSol(fixture('A-n32-k5.sol'));
    expect(sol.cost).toBe(784);
    expect(checkSolution(p, sol.routes).feasible).toBe(true);
    expect(solutionCost(p, sol.routes)).toBe(784);
  });

  it('writes .sol files that read back unchanged, skipping empty routes', () => {
    const routes = [[3, 1], [], [2, 5, 4]];
    const text = writeSol(routes, 123);
    expect(text).toBe('Route #1: 3 1\nRoute #2: 2 5 4\nCost 123\n');
    expect(parseSol(text)).toEqual({ routes: [[3, 1], [2, 5, 4]], cost: 123 });
  });

  it('reads DEPOT_SECTION, optional DISTANCE / SERVICE_TIME / VEHICLES, and refuses what it cannot do', () => {
    const text = [
      'NAME : tiny',
      'TYPE : CVRP',
      'DIMENSION : 3',
      'EDGE_WEIGHT_TYPE : EUC_2D',
      'CAPACITY : 10',
      'DISTANCE : 50',
      'SERVICE_TIME : 2',
      'VEHICLES : 2',
      'NODE_COORD_SECTION',
      '1 0 0',
      '2 3 4',
      '3 6 8',
      'DEMAND_SECTION',
      '1 4',
      '2 0',
      '3 5',
      'DEPOT_SECTION',
      '2',
      '-1',
      'EOF',
    ].join('\n');
    const p = parseVrp(text);
    expect(Array.from(p.nodeIds)).toEqual([2, 1, 3]);
    expect(Array.from(p.demand)).toEqual([0, 4, 5]);
    expect(p.maxDuration).toBe(50);
    expect(p.maxRoutes).toBe(2);
    expect(Array.from(p.serviceTime!)).toEqual([0, 2, 2]);
    expect(() => parseVrp(text.replace('EUC_2D', 'GEO'))).toThrow(/EUC_2D/);
    expect(() => parseVrp(text.replace('CAPACITY : 10', 'CAPACITY : x'))).toThrow(/CAPACITY/);
    expect(() => parseVrp(text.replace('DIMENSION : 3', 'DIMENSION : 4'))).toThrow(/DIMENSION/);
    expect(() => parseVrp(text.replace('3 5\nDEPOT', '3 11\nDEPOT'))).toThrow(/capacity/);
  });
});
