/**
 * Interns the n-grams of symbol sequences (code points, token ids) as dense integer node ids of a
 * trie, so n-gram counting is array indexing instead of hashing many short strings. Two sequences
 * share a node exactly when they share the n-gram.
 */
export class NgramTrie {
  // Open-addressing hash of (parent node, symbol) -> child node, in typed arrays: keys stay small
  // integers, where a Map keyed by parent * 2^21 + symbol would box most keys as heap numbers.
  private parents: Int32Array
  private symbols: Int32Array
  private childIds: Int32Array
  private mask: number

  /** `expectedNodes`: an upper bound on the n-grams to come, so the table never needs to grow. */
  constructor(expectedNodes = 512) {
    let size = 64
    while (size < expectedNodes * 2 + 2) size *= 2
    this.parents = new Int32Array(size).fill(-1)
    this.symbols = new Int32Array(size)
    this.childIds = new Int32Array(size)
    this.mask = size - 1
  }

  /** The n-gram order of each node id (node 0 is the empty root). */
  readonly order: number[] = [0]

  private slot(parent: number, symbol: number): number {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) & this.mask
    while (this.parents[h] !== -1 && (this.parents[h] !== parent || this.symbols[h] !== symbol))
      h = (h + 1) & this.mask
    return h
  }

  private grow(): void {
    const { parents, symbols, childIds } = this
    const size = parents.length * 2
    this.parents = new Int32Array(size).fill(-1)
    this.symbols = new Int32Array(size)
    this.childIds = new Int32Array(size)
    this.mask = size - 1
    for (let k = 0; k < parents.length; k++) {
      const p = parents[k] as number
      if (p === -1) continue
      const h = this.slot(p, symbols[k] as number)
      this.parents[h] = p
      this.symbols[h] = symbols[k] as number
      this.childIds[h] = childIds[k] as number
    }
  }

  /** Node ids of every n-gram of orders 1..maxOrder in the sequence, in no particular order. */
  ngrams(seq: ArrayLike<number>, maxOrder: number): Int32Array {
    let count = 0
    for (let i = 0; i < seq.length; i++) count += Math.min(maxOrder, seq.length - i)
    const out = new Int32Array(count)
    let k = 0
    for (let i = 0; i < seq.length; i++) {
      let node = 0
      const last = Math.min(maxOrder, seq.length - i)
      for (let n = 0; n < last; n++) {
        const symbol = seq[i + n] as number
        let h = this.slot(node, symbol)
        if (this.parents[h] === -1) {
          if (this.order.length * 2 > this.mask) {
            this.grow()
            h = this.slot(node, symbol)
          }
          this.parents[h] = node
          this.symbols[h] = symbol
          this.childIds[h] = this.order.length
          this.order.push(n + 1)
        }
        node = this.childIds[h] as number
        out[k++] = node
      }
    }
    return out
  }

  get size(): number {
    return this.order.length
  }
}

/** Count per node, and the number of n-grams per order (index = order). */
export interface NgramCounts {
  counts: Int32Array
  unique: number[]
  perOrder: number[]
}

/** Counts a sequence's n-gram node ids (after every sequence of the segment went through the trie). */
export function countNgrams(
  ids: ArrayLike<number>,
  trie: NgramTrie,
  maxOrder: number,
): NgramCounts {
  const counts = new Int32Array(trie.size)
  const unique: number[] = []
  const perOrder = new Array<number>(maxOrder + 1).fill(0)
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as number
    if (counts[id] === 0) unique.push(id)
    counts[id] = (counts[id] ?? 0) + 1
    const n = trie.order[id] as number
    perOrder[n] = (perOrder[n] ?? 0) + 1
  }
  return { counts, unique, perOrder }
}

/** Σ min(hyp, ref) per order over the hypothesis' n-grams. */
export function clippedMatches(
  hyp: NgramCounts,
  ref: NgramCounts,
  trie: NgramTrie,
  maxOrder: number,
): number[] {
  const matches = new Array<number>(maxOrder + 1).fill(0)
  for (const id of hyp.unique) {
    const r = ref.counts[id] ?? 0
    if (r === 0) continue
    const h = hyp.counts[id] ?? 0
    const n = trie.order[id] as number
    matches[n] = (matches[n] ?? 0) + (h < r ? h : r)
  }
  return matches
}

/** Code points of a string as numbers. */
export function codePointArray(s: string): number[] {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000)
        i++
        continue
      }
    }
    out.push(c)
  }
  return out
}
