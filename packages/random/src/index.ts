// The one seeded generator of the repository: demo data, generated graphs, sampled metrics and sampled credit are all
// reproducible from a seed because they draw from this stream. Changing it changes every seeded output.

/** mulberry32: floats in [0, 1), fully determined by `seed`; tiny, fast and identical across JavaScript engines. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
