import { describe, expect, it } from 'vitest';
import { checkSolution, problemFromCoordinates, problemFromMatrix, routeDuration, solutionCost } from './problem';
import { savingsRoutes } from './savings';

const square = problemFromCoordinates({
  capacity: 10,
  x: [0, 0, 10, 10, 0],
  y: [0, 10, 10, 0, -10],
  demand: [0, 4, 4, 4, 4],
});

describe('routing problem model', () => {
  it('recomputes costs from the routes', () => {
    // 0→1→2→0: 10 + 10 + 14 = 34; 0→3→4→0: 10 + 14 + 10 = 34.
    expect(solutionCost(square, [[1, 2], [3, 4]])).toBe(68);
    expect(solutionCost(square, [[], [1]])).toBe(20);
  });

  it('names every feasibility problem', () => {
    expect(checkSolution(square, [[1, 2], [3, 4]])).toEqual({ feasible: true, problems: [] });
    const bad = checkSolution(square, [[1, 2, 3], [3, 9]]);
    expect(bad.feasible).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/load 12 exceeds capacity 10/);
    expect(bad.problems.join('\n')).toMatch(/customer 3 is visited more than once/);
    expect(bad.problems.join('\n')).toMatch(/9 is not a customer/);
    expect(bad.problems.join('\n')).toMatch(/customer 4 is not visited/);
  });

  it('checks duration and fleet limits', () => {
    const p = problemFromCoordinates({ capacity: 10, x: [0, 0, 10], y: [0, 10, 10], demand: [0, 1, 1], serviceTime: [0, 5, 5], maxDuration: 40, maxRoutes: 1 });
    expect(routeDuration(p, [1, 2])).toBe(10 + 10 + 14 + 10);
    expect(checkSolution(p, [[1, 2]]).problems).toEqual(['route 1: duration 44 exceeds 40']);
    expect(checkSolution(p, [[1], [2]]).problems).toEqual(['2 routes exceed the fleet of 1']);
  });

  it('builds from a matrix and refuses asymmetric or oversized input', () => {
    const p = problemFromMatrix({ capacity: 5, dist: [0, 2, 3, 2, 0, 4, 3, 4, 0], demand: [0, 1, 1] });
    expect(solutionCost(p, [[1, 2]])).toBe(9);
    expect(() => problemFromMatrix({ capacity: 5, dist: [0, 2, 3, 1, 0, 4, 3, 4, 0], demand: [0, 1, 1] })).toThrow(/symmetric/);
    expect(() => problemFromMatrix({ capacity: 5, dist: [0, 2, 2, 0], demand: [0, 6] })).toThrow(/exceeds the capacity/);
  });

  it('Clarke–Wright savings gives a feasible start', () => {
    const routes = savingsRoutes(square);
    expect(checkSolution(square, routes).feasible).toBe(true);
    expect(routes.length).toBe(2);
  });
});
