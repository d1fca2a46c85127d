// CVRPLIB text formats, parsed from and written to strings (the caller does the file I/O).
// `.vrp` is TSPLIB: "KEY : value" headers, then NODE_COORD_SECTION, DEMAND_SECTION and
// DEPOT_SECTION. `.sol` lists "Route #k: c1 c2 ..." then "Cost X", where customers are
// numbered 1..n in file order with the depot left out — which is exactly the engine's
// internal numbering, so internal indices go to and from `.sol` files unchanged.
import { problemFromCoordinates, type RoutingProblem } from './problem';

export function parseVrp(text: string): RoutingProblem {
  const headers = new Map<string, string>();
  const coords = new Map<number, [number, number]>();
  const demands = new Map<number, number>();
  const order: number[] = [];
  const depots: number[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const upper = line.toUpperCase();
    if (upper === 'EOF') break;
    if (/^[A-Z_]+_SECTION$/.test(upper)) {
      section = upper;
      continue;
    }
    const header = /^([A-Z_]+)\s*:\s*(.*)$/i.exec(line);
    if (header && !/^-?\d/.test(line)) {
      headers.set(header[1]!.toUpperCase(), header[2]!.trim());
      section = '';
      continue;
    }
    const nums = line.split(/\s+/).map(Number);
    if (nums.some((v) => Number.isNaN(v))) throw new SyntaxError(`unreadable line in ${section || 'header'}: ${line}`);
    if (section === 'NODE_COORD_SECTION') {
      if (nums.length < 3) throw new SyntaxError(`coordinate line needs id x y: ${line}`);
      if (!coords.has(nums[0]!)) order.push(nums[0]!);
      coords.set(nums[0]!, [nums[1]!, nums[2]!]);
    } else if (section === 'DEMAND_SECTION') {
      if (nums.length < 2) throw new SyntaxError(`demand line needs id demand: ${line}`);
      demands.set(nums[0]!, nums[1]!);
    } else if (section === 'DEPOT_SECTION') {
      for (const v of nums) if (v >= 0) depots.push(v);
    } else {
      throw new SyntaxError(`data outside a known section: ${line}`);
    }
  }
  const type = (headers.get('EDGE_WEIGHT_TYPE') ?? '').toUpperCase();
  if (type !== 'EUC_2D') throw new SyntaxError(`EDGE_WEIGHT_TYPE ${type || '(missing)'} is not supported; only EUC_2D`);
  const capacity = Number(headers.get('CAPACITY'));
  if (!Number.isInteger(capacity) || capacity <= 0) throw new SyntaxError('CAPACITY must be a positive integer');
  const dimension = Number(headers.get('DIMENSION') ?? order.length);
  if (order.length !== dimension) throw new SyntaxError(`DIMENSION ${dimension} but ${order.length} coordinates`);
  const depot = depots[0] ?? order[0]!;
  if (depots.length > 1) throw new SyntaxError('only one depot is supported');
  if (!coords.has(depot)) throw new SyntaxError(`depot ${depot} has no coordinates`);
  const ids = [depot, ...order.filter((id) => id !== depot)];
  for (const id of ids) if (!demands.has(id)) throw new SyntaxError(`node ${id} has no demand`);
  const distance = headers.get('DISTANCE');
  const service = headers.get('SERVICE_TIME');
  const vehicles = headers.get('VEHICLES');
  return problemFromCoordinates({
    name: headers.get('NAME') ?? 'vrp',
    capacity,
    x: ids.map((id) => coords.get(id)![0]),
    y: ids.map((id) => coords.get(id)![1]),
    demand: ids.map((id) => demands.get(id)!),
    serviceTime: service !== undefined ? ids.map((_, i) => (i === 0 ? 0 : Number(service))) : undefined,
    maxDuration: distance !== undefined ? Number(distance) : undefined,
    maxRoutes: vehicles !== undefined ? Number(vehicles) : undefined,
    nodeIds: ids,
  });
}

export interface ParsedSol {
  /** Customers by internal index (1..n). */
  routes: number[][];
  cost: number | undefined;
}

export function parseSol(text: string): ParsedSol {
  const routes: number[][] = [];
  let cost: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const route = /^Route\s*#\s*\d+\s*:(.*)$/i.exec(line);
    if (route) {
      const body = route[1]!.trim();
      const stops = body ? body.split(/\s+/).map(Number) : [];
      if (stops.some((v) => !Number.isInteger(v))) throw new SyntaxError(`unreadable route: ${line}`);
      routes.push(stops);
      continue;
    }
    const c = /^Cost\s*:?\s*(-?[\d.]+)/i.exec(line);
    if (c) cost = Number(c[1]);
  }
  return { routes, cost };
}

export function writeSol(routes: readonly (readonly number[])[], cost: number): string {
  const lines: string[] = [];
  let k = 0;
  for (const r of routes) if (r.length) lines.push(`Route #${++k}: ${r.join(' ')}`);
  lines.push(`Cost ${cost}`);
  return `${lines.join('\n')}\n`;
}
