import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRoutesBench, runRoutesBench } from './routes';

const fixtures = fileURLToPath(new URL('../src/modules/routing/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linli-cvrp-'));
mkdirSync(join(dir, 'P'));
copyFileSync(join(fixtures, 'P-n16-k8.vrp'), join(dir, 'P', 'P-n16-k8.vrp'));
writeFileSync(join(dir, 'bks.csv'), 'instance,bks,source\nP-n16-k8,450,test\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench routes', () => {
  it('runs a set folder and reports gaps against bks.csv', async () => {
    const seen: string[] = [];
    const r = await runRoutesBench({ set: 'P', timeFactor: 0.02, dataDir: dir, threads: 1, onInstance: (_, row) => seen.push(row.name) });
    expect(seen).toEqual(['P-n16-k8']);
    expect(r.instances[0]).toMatchObject({ name: 'P-n16-k8', n: 15, bks: 450, feasible: true, budgetSeconds: 0.3 });
    expect(r.instances[0]!.cost).toBeGreaterThanOrEqual(450);
    expect(r.meanGapPct).toBe(r.instances[0]!.gapPct);
    expect(formatRoutesBench(r)).toMatch(/set P: 1 instances/);
    await expect(runRoutesBench({ set: 'Q', timeFactor: 0.01, dataDir: dir })).rejects.toThrow(/no instance folder/);
  });
});
