// Statements one warehouse client ran, read from the emulator's query log (GET /__emulator/queries, with the
// emulator's controls on). Each bench client logs in as its own user, so its statements are told apart by it.
// The log keeps the newest 10,000 statements: poll it before that many have run since the last poll.
const LOG_LIMIT = 10_000

interface LoggedStatement { queryId: string, sqlText: string, userName: string, startTime: string }

async function queryLog (emulatorUrl: string): Promise<LoggedStatement[]> {
  const response = await fetch(`${emulatorUrl}/__emulator/queries`)
  if (response.status !== 200) throw new Error(`emulator query log: ${response.status} (is it started with --controls?)`)
  return ((await response.json()) as { queries: LoggedStatement[] }).queries
}

/** A statement's text with its whitespace folded, cut to its first words: what it is, not its values. */
const kindOf = (sqlText: string): string => sqlText.replace(/\s+/g, ' ').trim().slice(0, 60)

export class StatementCounter {
  readonly #before = new Set<string>()
  readonly #seen = new Map<string, string>()
  #polledAt = 0

  private constructor (readonly emulatorUrl: string, readonly user: string) {}

  /** Counts the statements `user` runs from now on; those already in the log are not counted. */
  static async from (emulatorUrl: string, user: string): Promise<StatementCounter> {
    const counter = new StatementCounter(emulatorUrl, user)
    for (const entry of await counter.#read()) counter.#before.add(entry.queryId)
    return counter
  }

  async #read (): Promise<LoggedStatement[]> {
    const log = await queryLog(this.emulatorUrl)
    const oldest = log[0]
    if (this.#polledAt > 0 && log.length >= LOG_LIMIT && oldest !== undefined && Date.parse(oldest.startTime) > this.#polledAt) {
      throw new Error('the emulator\'s query log dropped statements between two polls: poll more often')
    }
    this.#polledAt = Date.now()
    const user = this.user.toUpperCase()
    return log.filter((entry) => entry.userName.toUpperCase() === user)
  }

  async poll (): Promise<void> {
    for (const entry of await this.#read()) {
      if (!this.#before.has(entry.queryId)) this.#seen.set(entry.queryId, entry.sqlText)
    }
  }

  get count (): number {
    return this.#seen.size
  }

  /** How many statements of each kind, most frequent first. */
  kinds (): Array<[string, number]> {
    const counts = new Map<string, number>()
    for (const sqlText of this.#seen.values()) counts.set(kindOf(sqlText), (counts.get(kindOf(sqlText)) ?? 0) + 1)
    return [...counts].sort((a, b) => b[1] - a[1])
  }
}
