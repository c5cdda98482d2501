/**
 * Clipped n-gram matching of one hypothesis against references (BLEU, chrF), over integer symbols
 * (code points or token ids). The hypothesis' n-grams become dense node ids of a trie held in
 * typed arrays that are reused from segment to segment: a generation stamp empties the table in
 * O(1), so a segment allocates nothing. References are only looked up, never inserted: a walk
 * stops at the first n-gram the hypothesis lacks, since no longer n-gram from there can match.
 */
export class NgramMatcher {
  // Open-addressing hash of (parent node, symbol) -> child node; a slot is live when its stamp
  // equals the current generation.
  private stamps = new Int32Array(0)
  private parents = new Int32Array(0)
  private symbols = new Int32Array(0)
  private children = new Int32Array(0)
  private mask = 0
  private generation = 0
  // Per node: n-gram order, hypothesis count, count in the current reference, max over references.
  private order = new Int32Array(0)
  private hyp = new Int32Array(0)
  private ref = new Int32Array(0)
  private refMax = new Int32Array(0)
  private size = 1
  private touched: number[] = []

  private reset(maxNodes: number): void {
    if (this.order.length < maxNodes + 1) {
      const n = Math.max(maxNodes + 1, this.order.length * 2)
      this.order = new Int32Array(n)
      this.hyp = new Int32Array(n)
      this.ref = new Int32Array(n)
      this.refMax = new Int32Array(n)
    }
    let size = this.stamps.length || 256
    while (size < maxNodes * 2 + 2) size *= 2
    if (size > this.stamps.length) {
      this.stamps = new Int32Array(size)
      this.parents = new Int32Array(size)
      this.symbols = new Int32Array(size)
      this.children = new Int32Array(size)
      this.mask = size - 1
      this.generation = 0
    }
    if (this.generation === 0x7fffffff) {
      this.stamps.fill(0)
      this.generation = 0
    }
    this.generation++
    this.size = 1
  }

  private slot(parent: number, symbol: number): number {
    const { stamps, parents, symbols, mask, generation } = this
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) & mask
    while (stamps[h] === generation && (parents[h] !== parent || symbols[h] !== symbol))
      h = (h + 1) & mask
    return h
  }

  /** Starts a segment: interns and counts every n-gram of orders 1..maxOrder of the hypothesis. */
  setHypothesis(seq: ArrayLike<number>, length: number, maxOrder: number): void {
    this.reset(length * maxOrder)
    const { stamps, parents, symbols, children, order, hyp, ref, refMax, generation } = this
    for (let i = 0; i < length; i++) {
      let node = 0
      const last = Math.min(maxOrder, length - i)
      for (let n = 0; n < last; n++) {
        const symbol = seq[i + n] as number
        const h = this.slot(node, symbol)
        if (stamps[h] === generation) {
          node = children[h] as number
          hyp[node] = (hyp[node] as number) + 1
        } else {
          stamps[h] = generation
          parents[h] = node
          symbols[h] = symbol
          node = this.size++
          children[h] = node
          order[node] = n + 1
          hyp[node] = 1
          ref[node] = 0
          refMax[node] = 0
        }
      }
    }
  }

  /** Counts a reference's occurrences of the hypothesis' n-grams (symbols the hypothesis lacks may be -1). */
  countReference(seq: ArrayLike<number>, length: number, maxOrder: number): void {
    const { stamps, children, ref, generation, touched } = this
    for (let i = 0; i < length; i++) {
      let node = 0
      const last = Math.min(maxOrder, length - i)
      for (let n = 0; n < last; n++) {
        const h = this.slot(node, seq[i + n] as number)
        if (stamps[h] !== generation) break
        node = children[h] as number
        const c = ref[node] as number
        if (c === 0) touched.push(node)
        ref[node] = c + 1
      }
    }
  }

  /** Adds Σ min(hyp, ref) per order (index = order) for the counted reference, then forgets it. */
  clipReference(matches: number[]): void {
    const { order, hyp, ref, touched } = this
    for (const node of touched) {
      const h = hyp[node] as number
      const r = ref[node] as number
      const n = order[node] as number
      matches[n] = (matches[n] as number) + (h < r ? h : r)
      ref[node] = 0
    }
    touched.length = 0
  }

  /** Folds the counted reference into the per-n-gram maximum over references, then forgets it. */
  foldReferenceMax(): void {
    const { ref, refMax, touched } = this
    for (const node of touched) {
      if ((ref[node] as number) > (refMax[node] as number)) refMax[node] = ref[node] as number
      ref[node] = 0
    }
    touched.length = 0
  }

  /** Adds Σ min(hyp, max over references) per order (index = order). */
  clipReferenceMax(matches: number[]): void {
    const { order, hyp, refMax } = this
    for (let node = 1; node < this.size; node++) {
      const h = hyp[node] as number
      const r = refMax[node] as number
      const n = order[node] as number
      matches[n] = (matches[n] as number) + (h < r ? h : r)
    }
  }
}

/** Number of n-grams of order n in a sequence of `length` symbols. */
export function ngramCount(length: number, n: number): number {
  return length >= n ? length - n + 1 : 0
}
