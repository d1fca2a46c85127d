// Clarke–Wright parallel savings: a quick, deterministic construction used as a baseline
// and as a fallback answer when no search time is given.
import type { RoutingProblem } from './problem';

export function savingsRoutes(problem: RoutingProblem): number[][] {
  const { n, dist, demand, capacity } = problem;
  const n1 = n + 1;
  const pairs: number[] = [];
  const save: number[] = [];
  for (let i = 1; i <= n; i++) {
    for (let j = i + 1; j <= n; j++) {
      pairs.push(i * n1 + j);
      save.push(dist[i]! + dist[j]! - dist[i * n1 + j]!);
    }
  }
  const order = Array.from(pairs.keys()).sort((a, b) => save[b]! - save[a]! || pairs[a]! - pairs[b]!);
  // Routes as deques of customers; each customer knows its route and whether it is an end.
  const routeOf = new Int32Array(n1);
  const routes: (number[] | null)[] = [null];
  const load: number[] = [0];
  for (let c = 1; c <= n; c++) {
    routeOf[c] = c;
    routes.push([c]);
    load.push(demand[c]!);
  }
  const maxDuration = problem.maxDuration ?? Infinity;
  const service = problem.serviceTime;
  const duration = (r: number[]) => {
    let d = dist[r[0]!]! + dist[r[r.length - 1]! * n1]!;
    for (let k = 0; k + 1 < r.length; k++) d += dist[r[k]! * n1 + r[k + 1]!]!;
    if (service) for (const c of r) d += service[c]!;
    return d;
  };
  for (const k of order) {
    if (save[k]! <= 0) break;
    const i = Math.floor(pairs[k]! / n1);
    const j = pairs[k]! % n1;
    const ri = routeOf[i]!;
    const rj = routeOf[j]!;
    if (ri === rj || load[ri]! + load[rj]! > capacity) continue;
    let a = routes[ri]!;
    let b = routes[rj]!;
    // i must end a and j must start b; reverse either if that puts them in place.
    if (a[a.length - 1] !== i) a = a[0] === i ? a.slice().reverse() : [];
    if (b[0] !== j) b = b[b.length - 1] === j ? b.slice().reverse() : [];
    if (!a.length || !b.length) continue;
    const merged = a.concat(b);
    if (maxDuration < Infinity && duration(merged) > maxDuration) continue;
    routes[ri] = merged;
    routes[rj] = null;
    load[ri] = load[ri]! + load[rj]!;
    for (const c of b) routeOf[c] = ri;
  }
  return routes.filter((r): r is number[] => r !== null);
}
