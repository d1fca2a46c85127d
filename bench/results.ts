// Where benchmark results go, and the README table made from them.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url));

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memGiB: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: (list[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    cpus: list.length,
    memGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Save one result as bench/results/<file>.json, stamped with the machine and time. */
export function saveResult(file: string, result: object): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${file}.json`);
  const stamped = { ...result, machine: machineInfo(), measuredAt: new Date().toISOString() };
  writeFileSync(path, `${JSON.stringify(stamped, null, 2)}\n`);
  return path;
}

export function loadResults(): Array<{ file: string; data: Record<string, unknown> }> {
  try {
    return readdirSync(RESULTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ file: f, data: JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as Record<string, unknown> }));
  } catch {
    return [];
  }
}
