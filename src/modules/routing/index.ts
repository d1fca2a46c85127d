// Public API of the routing module (capacitated vehicle routing, CVRPLIB formats).
export { problemFromCoordinates, problemFromMatrix, checkSolution, solutionCost, routeCost, routeDuration, euc2d } from './problem';
export type { RoutingProblem, Solution, FeasibilityReport, CoordinateProblemInput, MatrixProblemInput } from './problem';
export { parseVrp, parseSol, writeSol } from './cvrplib';
export type { ParsedSol } from './cvrplib';
export { solveRoutes, solveRoutesParallel, DEFAULT_EXCHANGE_EVERY } from './solve';
export type { SolveOptions, SolveResult } from './solve';
export { IslandPool } from './parallel';
export { savingsRoutes } from './savings';
export { DEFAULT_PARAMS } from './data';
export type { SearchParams } from './data';
