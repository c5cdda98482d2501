/**
 * A report section contributed by a capability (latency, safety). The gate's report assembles them;
 * when the comment would exceed GitHub's limit, sections fall back to `compact`, then to a one-line note.
 */
export interface ReportSection {
  id: 'quality' | 'latency' | 'safety' | 'cost' | 'provenance' | (string & {})
  title: string
  /** Full Markdown, used in report-full.md and when it fits in the comment. */
  markdown: string
  /** Shorter Markdown for the comment when space runs out. */
  compact?: string
  /** Lower numbers are dropped to `compact` first. */
  priority: number
}
