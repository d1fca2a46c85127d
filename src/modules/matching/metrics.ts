// Offline ranking metrics. Relevance is binary: an item is relevant when the household bought
// it in the test period.
//
// Recall@k = hits in the top k / min(k, |relevant|). Dividing by min(k, |relevant|) rather than
// |relevant| means a perfect list scores 1 even for a household that bought more than k items.
// NDCG@k   = DCG@k / IDCG@k with DCG@k = Σ_{rank r ≤ k, item relevant} 1 / log2(r + 1) and
//            IDCG@k the DCG of min(k, |relevant|) hits at the top.
// Both are 0 for an empty relevant set; callers only evaluate households with test purchases.

export function recallAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  const denom = Math.min(k, relevant.size);
  if (denom === 0) return 0;
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) hits++;
  return hits / denom;
}

export function ndcgAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  const ideal = Math.min(k, relevant.size);
  if (ideal === 0) return 0;
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

export interface MethodScore {
  recallAt10: number;
  ndcgAt10: number;
  households: number;
}

/** Mean Recall@k and NDCG@k over households; `lists` gives each household's ranked items. */
export function meanScores(relevant: ReadonlyMap<number, ReadonlySet<number>>, listFor: (user: number) => readonly number[], k: number): { recall: number; ndcg: number; households: number } {
  let recall = 0;
  let ndcg = 0;
  let n = 0;
  for (const [user, rel] of relevant) {
    if (rel.size === 0) continue;
    const list = listFor(user);
    recall += recallAtK(list, rel, k);
    ndcg += ndcgAtK(list, rel, k);
    n++;
  }
  return { recall: n ? recall / n : 0, ndcg: n ? ndcg / n : 0, households: n };
}
