import { zipSync, strToU8 } from 'fflate'

/** Who a token belongs to; `type: 'Bot'` logins end in `[bot]` as GitHub shows them in REST. */
export interface Identity {
  login: string
  id: number
  type: 'Bot' | 'User'
}

export type PermissionLevel = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

export interface RepoRecord {
  id: number
  owner: string
  name: string
  fullName: string
  private: boolean
  defaultBranch: string
  /** Branch name → head SHA, used by workflow_dispatch runs and deployments of branches. */
  branches: Record<string, string>
}

export interface ReactionRecord {
  id: number
  content: string
  user: Identity
  createdAt: string
}

export interface CommentRecord {
  id: number
  nodeId: string
  repo: string
  issueNumber: number
  body: string
  user: Identity
  createdAt: string
  updatedAt: string
  /** GraphQL `minimizeComment` classifier, lower-cased as GitHub reports `minimizedReason`. */
  minimizedReason: string | null
  reactions: ReactionRecord[]
}

export interface AnnotationRecord {
  path: string
  start_line: number
  end_line: number
  annotation_level: string
  message: string
  title?: string
  raw_details?: string
  start_column?: number
  end_column?: number
}

export interface CheckRunRecord {
  id: number
  repo: string
  headSha: string
  name: string
  status: string
  conclusion: string | null
  detailsUrl: string | null
  externalId: string | null
  startedAt: string
  completedAt: string | null
  output: { title: string | null; summary: string | null; text: string | null }
  annotations: AnnotationRecord[]
  /** Every PATCH body received, in order, so tests can see batching. */
  updates: unknown[]
  checkSuiteId: number
}

export interface CheckSuiteRecord {
  id: number
  repo: string
  headSha: string
  createdAt: string
  status: string
  conclusion: string | null
  appSlug: string
}

export interface StatusRecord {
  id: number
  repo: string
  sha: string
  state: string
  context: string
  description: string | null
  targetUrl: string | null
  createdAt: string
  creator: Identity
}

export interface DeploymentStatusRecord {
  id: number
  state: string
  description: string
  environment: string
  logUrl: string
  environmentUrl: string
  createdAt: string
  creator: Identity
}

export interface DeploymentRecord {
  id: number
  repo: string
  sha: string
  ref: string
  task: string
  payload: unknown
  environment: string
  description: string | null
  transientEnvironment: boolean
  productionEnvironment: boolean
  creator: Identity
  createdAt: string
  /** The create request as received (auto_merge, required_contexts ...). */
  request: Record<string, unknown>
  statuses: DeploymentStatusRecord[]
}

export interface ArtifactRecord {
  id: number
  name: string
  zip: Uint8Array
  expired: boolean
  createdAt: string
}

export interface WorkflowRunRecord {
  id: number
  repo: string
  name: string
  path: string
  workflowId: number
  headSha: string
  headBranch: string
  /** The repository the run's head commit came from (a fork's for its PRs); default `repo`. */
  headRepo?: string
  event: string
  status: string
  conclusion: string | null
  actor: Identity
  createdAt: string
  updatedAt: string
  runNumber: number
  inputs: Record<string, unknown> | null
  artifacts: ArtifactRecord[]
}

export interface WorkflowRecord {
  id: number
  repo: string
  path: string
  name: string
  /** Declared workflow_dispatch inputs; `undefined` accepts any inputs. */
  inputs?: Record<string, { required?: boolean }>
}

export interface PullRecord {
  number: number
  repo: string
  state: 'open' | 'closed'
  title: string
  body: string | null
  user: Identity
  headSha: string
  headRef: string
  /** Full name of the head repository; differs from `repo` for fork PRs. */
  headRepo: string
  baseRef: string
  baseSha: string
  merged: boolean
  mergeCommitSha: string | null
  draft: boolean
  createdAt: string
  updatedAt: string
  /** Commits whose `GET /commits/{sha}/pulls` lists this PR (head, merge commit and any seeded). */
  commits: string[]
  /** Label names. */
  labels: string[]
}

export interface CommitRecord {
  sha: string
  message: string
  authorDate: string
  committerDate: string
  parents: string[]
}

export interface RepositoryDispatchRecord {
  repo: string
  eventType: string
  clientPayload: Record<string, unknown> | undefined
  actor: Identity
  at: string
}

export interface RequestLogEntry {
  method: string
  path: string
  query: Record<string, string>
  operationId: string | null
  body: unknown
  status: number
  login: string | null
}

export const DEFAULT_TOKEN = 'ghs_double_default_token'
export const BOT_IDENTITY: Identity = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }

const hex = (n: number) => n.toString(16).padStart(40, '0')

/**
 * Everything the GitHub double remembers, plus seeding helpers for tests. Records are plain data:
 * tests may read them directly (`state.comments`, `state.checkRuns` ...).
 */
export class GitHubState {
  readonly requests: RequestLogEntry[] = []
  readonly repos = new Map<string, RepoRecord>()
  readonly comments: CommentRecord[] = []
  /** Pull request review comments (only reactions are served for them). */
  readonly reviewComments: CommentRecord[] = []
  readonly checkRuns: CheckRunRecord[] = []
  readonly checkSuites: CheckSuiteRecord[] = []
  readonly statuses: StatusRecord[] = []
  readonly deployments: DeploymentRecord[] = []
  readonly workflows: WorkflowRecord[] = []
  readonly workflowRuns: WorkflowRunRecord[] = []
  readonly pulls: PullRecord[] = []
  readonly commits = new Map<string, CommitRecord>()
  readonly repositoryDispatches: RepositoryDispatchRecord[] = []
  /** `"base...head"` → merge-base SHA for `GET /compare`. */
  readonly mergeBases = new Map<
    string,
    { mergeBase: string; aheadBy?: number; behindBy?: number; files?: string[] }
  >()
  /** Per repository and login; absent users are non-collaborators. */
  readonly permissions = new Map<string, { level: PermissionLevel; roleName: string }>()
  /** Refs that are behind the default branch: deployments with auto_merge get 202, or 409 on conflict. */
  readonly behindRefs = new Map<string, { conflict: boolean }>()
  /** Non-collaborators on public repositories get `read` (GitHub's behaviour) unless this is true. */
  nonCollaboratorNotFound = false
  /** The clock every timestamp comes from; tests may replace it. */
  now: () => Date = () => new Date()
  private nextId = 1_000_000_001

  id(): number {
    return this.nextId++
  }

  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
  }

  /** The repository record, created on first use (public, default branch `main`). */
  repo(fullName: string): RepoRecord {
    let repo = this.repos.get(fullName.toLowerCase())
    if (!repo) {
      const [owner = '', name = ''] = fullName.split('/')
      repo = {
        id: this.id(),
        owner,
        name,
        fullName,
        private: false,
        defaultBranch: 'main',
        branches: { main: hex(0xabc) },
      }
      this.repos.set(fullName.toLowerCase(), repo)
    }
    return repo
  }

  setRepo(
    fullName: string,
    patch: Partial<Omit<RepoRecord, 'id' | 'owner' | 'name' | 'fullName'>>,
  ): RepoRecord {
    return Object.assign(this.repo(fullName), patch)
  }

  /** Sets a user's role on a repository (`role_name` defaults to the level). */
  setPermission(
    user: string,
    level: PermissionLevel,
    options: { repo?: string; roleName?: string } = {},
  ): void {
    this.permissions.set(`${(options.repo ?? '*').toLowerCase()}:${user.toLowerCase()}`, {
      level,
      roleName: options.roleName ?? level,
    })
  }

  permissionOf(
    repo: string,
    user: string,
  ): { level: PermissionLevel; roleName: string } | undefined {
    return (
      this.permissions.get(`${repo.toLowerCase()}:${user.toLowerCase()}`) ??
      this.permissions.get(`*:${user.toLowerCase()}`)
    )
  }

  /** Adds comments as GitHub would have stored them; returns the records. */
  addComments(
    n: number,
    options: { repo: string; issueNumber: number; user?: Identity; body?: (i: number) => string },
  ): CommentRecord[] {
    const user = options.user ?? { login: 'octocat', id: 583231, type: 'User' }
    return Array.from({ length: n }, (_, i) =>
      this.createComment(
        options.repo,
        options.issueNumber,
        options.body?.(i) ?? `comment ${i + 1}`,
        user,
      ),
    )
  }

  createComment(repo: string, issueNumber: number, body: string, user: Identity): CommentRecord {
    const id = this.id()
    const at = this.timestamp()
    const record: CommentRecord = {
      id,
      nodeId: `IC_kwDO${Buffer.from(`IssueComment:${id}`).toString('base64url')}`,
      repo,
      issueNumber,
      body,
      user,
      createdAt: at,
      updatedAt: at,
      minimizedReason: null,
      reactions: [],
    }
    this.comments.push(record)
    return record
  }

  /** A review comment on a PR diff, for reactions on `pull_request_review_comment` commands. */
  seedReviewComment(repo: string, pullNumber: number, body: string, user: Identity): CommentRecord {
    const record = this.createComment(repo, pullNumber, body, user)
    this.comments.splice(this.comments.indexOf(record), 1)
    this.reviewComments.push(record)
    return record
  }

  /** Comments on one issue or PR, in id order (as the REST list returns them). */
  commentsOn(repo: string, issueNumber: number): CommentRecord[] {
    return this.comments.filter(
      (c) => c.repo.toLowerCase() === repo.toLowerCase() && c.issueNumber === issueNumber,
    )
  }

  seedPull(pull: Partial<PullRecord> & { repo: string; headSha: string }): PullRecord {
    const number = pull.number ?? this.pulls.filter((p) => p.repo === pull.repo).length + 1
    const at = this.timestamp()
    const record: PullRecord = {
      number,
      state: 'open',
      title: `Pull request ${number}`,
      body: null,
      user: { login: 'octocat', id: 583231, type: 'User' },
      headRef: `feature-${number}`,
      headRepo: pull.repo,
      baseRef: this.repo(pull.repo).defaultBranch,
      baseSha: hex(0xba5e),
      merged: false,
      mergeCommitSha: null,
      draft: false,
      createdAt: at,
      updatedAt: at,
      commits: [],
      labels: [],
      ...pull,
    }
    record.commits = [
      ...new Set([
        record.headSha,
        ...(record.mergeCommitSha ? [record.mergeCommitSha] : []),
        ...record.commits,
      ]),
    ]
    const existing = this.pulls.findIndex((p) => p.repo === record.repo && p.number === number)
    if (existing >= 0) this.pulls.splice(existing, 1)
    this.pulls.push(record)
    return record
  }

  seedCommit(commit: Partial<CommitRecord> & { sha: string }): CommitRecord {
    const at = this.timestamp()
    const record: CommitRecord = {
      message: 'commit',
      authorDate: at,
      committerDate: at,
      parents: [],
      ...commit,
    }
    this.commits.set(record.sha, record)
    return record
  }

  /** A check suite on a commit; its `created_at` is GitHub's server-side "first seen" time. */
  seedCheckSuite(
    repo: string,
    headSha: string,
    options: { createdAt?: string; appSlug?: string } = {},
  ): CheckSuiteRecord {
    const record: CheckSuiteRecord = {
      id: this.id(),
      repo,
      headSha,
      createdAt: options.createdAt ?? this.timestamp(),
      status: 'queued',
      conclusion: null,
      appSlug: options.appSlug ?? 'github-actions',
    }
    this.checkSuites.push(record)
    return record
  }

  /** What `GET /compare/{base}...{head}` answers: the merge base and, optionally, the changed paths. */
  setMergeBase(
    repo: string,
    base: string,
    head: string,
    mergeBase: string,
    options: { files?: string[] } = {},
  ): void {
    this.mergeBases.set(`${repo.toLowerCase()}:${base}...${head}`, {
      mergeBase,
      ...(options.files ? { files: options.files } : {}),
    })
  }

  seedWorkflow(workflow: Partial<WorkflowRecord> & { repo: string; path: string }): WorkflowRecord {
    const record: WorkflowRecord = {
      id: this.id(),
      name: workflow.path.replace(/^.*\//, ''),
      ...workflow,
    }
    this.workflows.push(record)
    return record
  }

  workflow(repo: string, idOrFile: string | number): WorkflowRecord {
    const found = this.workflows.find(
      (w) =>
        w.repo.toLowerCase() === repo.toLowerCase() &&
        (String(w.id) === String(idOrFile) || w.path.replace(/^.*\//, '') === String(idOrFile)),
    )
    return found ?? this.seedWorkflow({ repo, path: `.github/workflows/${String(idOrFile)}` })
  }

  /** A workflow run with artifacts; each artifact's files are zipped as GitHub would serve them. */
  seedWorkflowRun(
    run: Partial<Omit<WorkflowRunRecord, 'artifacts'>> & {
      repo: string
      headSha: string
      artifacts?: { name: string; files: Record<string, string | Uint8Array>; expired?: boolean }[]
    },
  ): WorkflowRunRecord {
    const { artifacts = [], ...rest } = run
    const workflow = this.workflow(run.repo, run.path?.replace(/^.*\//, '') ?? 'ci.yml')
    const at = this.timestamp()
    const record: WorkflowRunRecord = {
      id: this.id(),
      name: workflow.name,
      path: workflow.path,
      workflowId: workflow.id,
      headBranch: this.repo(run.repo).defaultBranch,
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      actor: { login: 'octocat', id: 583231, type: 'User' },
      createdAt: at,
      updatedAt: at,
      runNumber: this.workflowRuns.filter((r) => r.repo === run.repo).length + 1,
      inputs: null,
      ...rest,
      artifacts: artifacts.map((a) => ({
        id: this.id(),
        name: a.name,
        expired: a.expired ?? false,
        createdAt: at,
        zip: zipSync(
          Object.fromEntries(
            Object.entries(a.files).map(([path, content]) => [
              path,
              typeof content === 'string' ? strToU8(content) : content,
            ]),
          ),
        ),
      })),
    }
    this.workflowRuns.push(record)
    return record
  }

  /** Marks a ref as behind the default branch: deployments with `auto_merge` get 202, or 409 on conflict. */
  setBehind(ref: string, options: { conflict?: boolean } = {}): void {
    this.behindRefs.set(ref, { conflict: options.conflict ?? false })
  }

  /** Requests whose operation id matches, for assertions. */
  requestsFor(operationId: string): RequestLogEntry[] {
    return this.requests.filter((r) => r.operationId === operationId)
  }
}
