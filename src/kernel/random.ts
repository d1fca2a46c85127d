// A small seeded PRNG. Math.random cannot be seeded, and the demo city, benchmarks and
// randomised tests must replay exactly for the same seed (tests, screenshots and bug reports
// refer to "the demo resident's community" and expect the same place every time).

/** sfc32 (Small Fast Counter): 128-bit state, passes PractRand, four adds and shifts a draw. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** splitmix32 spreads one 32-bit seed over sfc32's four state words. */
function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.next = sfc32(mix(), mix(), mix(), mix());
    // The first outputs of a freshly seeded sfc32 are weakly mixed; discard a few.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Approximately normal (sum of four uniforms), mean 0, sd 1; enough for scattering points. */
  gaussian(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
  }

  /** An independent stream, so adding draws to one part of the city leaves the others unchanged. */
  fork(label: string): Random {
    let h = Math.floor(this.next() * 4294967296);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Random(h);
  }
}

/** A bare `() => number` in [0, 1) for code that only needs uniform draws. */
export function seededUniform(seed: number): () => number {
  const r = new Random(seed);
  return () => r.float();
}
