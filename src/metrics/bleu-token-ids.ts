import type { Spaced13a } from './bleu-tokenizers.js'
import { isPySpace as importedIsPySpace } from './text/python-str.js'

// A module-local reference: under loaders that turn imports into getters, a call through the
// import binding costs a getter call per code unit in the hot loop.
const isPySpace = importedIsPySpace

/**
 * Token ids of one BLEU segment, read straight from a tokenized buffer without making a string per
 * token. The hypothesis' tokens are interned (their code units copied into an arena); a reference
 * token the hypothesis lacks gets -1, since no n-gram containing it can match. The table is
 * emptied in O(1) per segment by a generation stamp.
 */
export class SegmentTokenIds {
  private stamps = new Int32Array(1024)
  private slots = new Int32Array(1024)
  private mask = 1023
  private generation = 0
  private starts = new Int32Array(256)
  private lengths = new Int32Array(256)
  private arena = new Uint16Array(4096)
  private arenaUsed = 0
  private count = 0
  /** The ids of the last `read`, valid until the next one. */
  ids = new Int32Array(256)

  /** Forgets the previous segment's tokens. */
  reset(): void {
    if (this.generation === 0x7fffffff) {
      this.stamps.fill(0)
      this.generation = 0
    }
    this.generation++
    this.count = 0
    this.arenaUsed = 0
  }

  /** Reads the tokens of a spaced buffer into `ids`; returns how many. Interns new tokens when `add` is set. */
  read(spaced: Spaced13a, add: boolean): number {
    const { buf, length } = spaced
    let n = 0
    let start = -1
    let h = 0
    for (let i = 0; i <= length; i++) {
      const c = i === length ? SPACE : (buf[i] as number)
      if (isPySpace(c)) {
        if (start !== -1) {
          if (n === this.ids.length) this.ids = grow(this.ids, n * 2)
          this.ids[n++] = this.lookup(buf, start, i - start, h >>> 0, add)
          start = -1
        }
      } else {
        if (start === -1) {
          start = i
          h = 0x811c9dc5
        }
        h = Math.imul(h ^ c, 0x01000193)
      }
    }
    return n
  }

  private lookup(buf: Uint16Array, start: number, len: number, hash: number, add: boolean): number {
    const { stamps, slots, starts, lengths, arena, generation } = this
    let s = hash & this.mask
    while (stamps[s] === generation) {
      const id = slots[s] as number
      if (lengths[id] === len) {
        const at = starts[id] as number
        let k = 0
        while (k < len && arena[at + k] === buf[start + k]) k++
        if (k === len) return id
      }
      s = (s + 1) & this.mask
    }
    if (!add) return -1
    return this.insert(s, buf, start, len)
  }

  private insert(slot: number, buf: Uint16Array, start: number, len: number): number {
    const id = this.count++
    if (id === this.starts.length) {
      this.starts = grow(this.starts, id * 2)
      this.lengths = grow(this.lengths, id * 2)
    }
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = new Uint16Array(Math.max(this.arena.length * 2, this.arenaUsed + len))
      bigger.set(this.arena.subarray(0, this.arenaUsed))
      this.arena = bigger
    }
    this.arena.set(buf.subarray(start, start + len), this.arenaUsed)
    this.starts[id] = this.arenaUsed
    this.lengths[id] = len
    this.arenaUsed += len
    this.stamps[slot] = this.generation
    this.slots[slot] = id
    if (this.count * 2 > this.mask) this.rehash()
    return id
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2
    this.stamps = new Int32Array(size)
    this.slots = new Int32Array(size)
    this.mask = size - 1
    this.generation = 1
    for (let id = 0; id < this.count; id++) {
      const at = this.starts[id] as number
      let h = 0x811c9dc5
      for (let k = 0; k < (this.lengths[id] as number); k++)
        h = Math.imul(h ^ (this.arena[at + k] as number), 0x01000193)
      let s = (h >>> 0) & this.mask
      while (this.stamps[s] === 1) s = (s + 1) & this.mask
      this.stamps[s] = 1
      this.slots[s] = id
    }
  }
}

const SPACE = 0x20

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n)
  b.set(a)
  return b
}
