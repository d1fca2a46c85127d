import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/linli.js', import.meta.url));
const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));

describe('linli matching eval', () => {
  it('prints Recall@10, NDCG@10 and households for linli and both baselines', async () => {
    const { stdout } = await run(process.execPath, [bin, 'matching', 'eval', '--train', fixture('train.csv'), '--test', fixture('test.csv'), '--k', '10', '--json']);
    const out = JSON.parse(stdout);
    for (const m of ['linli', 'popularity', 'ownHistory']) {
      expect(out[m].households).toBe(25);
      expect(out[m].recallAt10).toBeGreaterThanOrEqual(0);
      expect(out[m].recallAt10).toBeLessThanOrEqual(1);
      expect(out[m].ndcgAt10).toBeGreaterThanOrEqual(0);
    }
    expect(out.recallDefinition).toMatch(/min\(10/);
    expect(out.method).toBe('posterior-rate');
    expect(out.learned).toBeNull();
  }, 60_000);

  it('learns the blend on validation windows when asked (the ablation)', async () => {
    const { stdout } = await run(process.execPath, [bin, 'matching', 'eval', '--train', fixture('train.csv'), '--test', fixture('test.csv'), '--learn-blend', '--json']);
    const out = JSON.parse(stdout);
    expect(out.method).toBe('learned-blend');
    expect(out.learned.weights.length).toBeGreaterThan(5);
  }, 60_000);

  it('refuses a missing split', async () => {
    await expect(run(process.execPath, [bin, 'matching', 'eval', '--data', fixture(''), '--json'])).rejects.toThrow(/split-date/);
  }, 30_000);
});
