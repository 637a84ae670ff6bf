// A seeded pseudo-random generator shared by the benchmark's inputs and the randomized
// end-to-end test: mulberry32, a 32-bit state, the same sequence on every machine.

/** A function giving the next number in [0, 1) of the sequence of `seed`. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
