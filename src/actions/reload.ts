import { watch, type FSWatcher } from 'node:fs'
import type { FastifyBaseLogger } from 'fastify'
import { ActionFileError, checkActions, type Action } from './load.js'

/** Editors and Kubernetes' ConfigMap swap write a change as several events; one reload follows the last. */
const settleMs = 200

export interface ReloadResult {
  reloaded: boolean
  /** The actions in use after the reload: the new set, or the old one kept. */
  count: number
  added: string[]
  removed: string[]
  changed: string[]
  /** Why the new set was refused, in the start's words. */
  problems: string[]
}

/** What an action was loaded from, in a comparable form: its functions drop out, its definition stays. */
const fingerprint = (action: Action): string => JSON.stringify(action)

/**
 * The actions in use, replaced whole by a reload: from a change in the folder (fs.watch) or on request
 * (SIGHUP). A folder with any bad file, or with no action left, is refused: the set in use stays and the log
 * says why. A request holds the action it started with; the next one sees the new set.
 */
export class ReloadableActions {
  #current: Map<string, Action>
  #watcher?: FSWatcher
  #settle?: NodeJS.Timeout
  #running?: Promise<ReloadResult>
  #queued?: Promise<ReloadResult>

  constructor (readonly dir: string, initial: Map<string, Action>, readonly logger: FastifyBaseLogger) {
    this.#current = initial
  }

  get current (): Map<string, Action> {
    return this.#current
  }

  /**
   * One reload at a time. A request while one runs waits for the next, started after it: the running one may
   * have read the folder before the change this request is about. Never rejects: a failure is a refusal.
   */
  async reload (): Promise<ReloadResult> {
    if (!this.#running) return await this.#start()
    this.#queued ??= this.#running.then(async () => {
      this.#queued = undefined
      return await this.#start()
    })
    return await this.#queued
  }

  async #start (): Promise<ReloadResult> {
    this.#running = this.#load().finally(() => { this.#running = undefined })
    return await this.#running
  }

  async #load (): Promise<ReloadResult> {
    const old = this.#current
    const { actions, problems } = await checkActions(this.dir).catch((err: unknown) => ({
      actions: new Map<string, Action>(),
      problems: [new ActionFileError(this.dir, `reading the action files failed: ${(err as Error).message}`)]
    }))
    if (problems.length === 0 && actions.size === 0) problems.push(new ActionFileError(this.dir, 'no action file left in the folder'))
    if (problems.length > 0) {
      const messages = problems.map((problem) => problem.message)
      this.logger.error({ problems: messages, kept: old.size }, `action files not reloaded, the ${old.size} action(s) loaded before stay in use: ${messages[0]}`)
      return { reloaded: false, count: old.size, added: [], removed: [], changed: [], problems: messages }
    }
    const added = [...actions.keys()].filter((id) => !old.has(id))
    const removed = [...old.keys()].filter((id) => !actions.has(id))
    const changed = [...actions.values()].filter((action) => {
      const before = old.get(action.id)
      return before !== undefined && fingerprint(before) !== fingerprint(action)
    }).map((action) => action.id)
    this.#current = actions
    this.logger.info({ added, removed, changed }, `reloaded ${actions.size} action(s) from ${this.dir}`)
    return { reloaded: true, count: actions.size, added, removed, changed, problems: [] }
  }

  /** Reloads after the folder changes; a folder that cannot be watched is logged and left to SIGHUP. */
  watch (): void {
    try {
      this.#watcher = watch(this.dir, { persistent: false }, () => {
        clearTimeout(this.#settle)
        // The reload logs its own outcome.
        this.#settle = setTimeout(() => { this.reload().catch(() => {}) }, settleMs)
      })
      this.#watcher.on('error', (err) => { this.logger.warn({ err }, `stopped watching ${this.dir}; send SIGHUP to reload the action files`) })
    } catch (err) {
      this.logger.warn({ err }, `cannot watch ${this.dir}; send SIGHUP to reload the action files`)
    }
  }

  async close (): Promise<void> {
    clearTimeout(this.#settle)
    this.#watcher?.close()
    await (this.#queued ?? this.#running)
  }
}
