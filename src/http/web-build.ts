import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');
const STAMP = '.linli-build-stamp';

/** A fingerprint of the web sources: names, sizes and mtimes (cheap; no file reads). */
function sourceFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        h.update(`${relative(WEB_ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  walk(WEB_ROOT);
  const lock = fileURLToPath(new URL('../../package-lock.json', import.meta.url));
  if (existsSync(lock)) h.update(`lock:${statSync(lock).mtimeMs}`);
  return h.digest('hex');
}

export function webBuildIsFresh(): boolean {
  const stamp = join(WEB_DIST, STAMP);
  return existsSync(join(WEB_DIST, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceFingerprint();
}

/** Build web/ with Vite when the build is missing or older than its sources. */
export async function ensureWebBuild(opts: { force?: boolean; log?: (msg: string) => void } = {}): Promise<boolean> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) return false;
  if (!opts.force && webBuildIsFresh()) return false;
  // Two servers starting at once (parallel e2e files) must not empty dist/ under each other.
  await acquireBuildLock();
  try {
    if (!opts.force && webBuildIsFresh()) return false;
    opts.log?.('building the web app (first start or sources changed)…');
    const fingerprint = sourceFingerprint();
    const { build } = await import('vite');
    await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(join(WEB_DIST, STAMP), fingerprint);
    return true;
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

const BUILD_LOCK = join(WEB_ROOT, '.linli-build-lock');
/** A build takes well under this; an older lock was left by a killed process. */
const STALE_LOCK_MS = 5 * 60_000;

async function acquireBuildLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK); // atomic: exactly one process creates it
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}
