/** A small seeded PRNG (mulberry32): the demo data is the same on every machine. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value between min and max, log-uniform: durations spread like real ones. */
export function logUniform(
  rand: () => number,
  min: number,
  max: number,
): number {
  return Math.exp(Math.log(min) + rand() * (Math.log(max) - Math.log(min)));
}

/** A 40-hex-digit fake sha, stable for its input. */
export function fakeSha(input: string): string {
  let out = '';
  for (let i = 0; out.length < 40; i++) {
    out += Math.floor(seededRandom(`${input}#${i}`)() * 0xffffffff)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, 40);
}
