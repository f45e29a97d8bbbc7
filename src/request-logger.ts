import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, Logger } from 'pino'

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

/**
 * A request's logger that becomes a pino child only when it first writes a line. Fastify makes one per
 * request, and a pino child (bindings serialised, redaction paths applied) costs more than the rest of a
 * cache hit's bookkeeping, while most requests below the log level never write a line.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  #child: Logger | undefined

  constructor (readonly parent: Logger, readonly bindings: Bindings, readonly options: ChildLoggerOptions) {}

  get level (): LevelWithSilentOrString {
    return this.#child?.level ?? this.options.level ?? this.parent.level
  }

  set level (level: LevelWithSilentOrString) {
    this.#real().level = level
  }

  isLevelEnabled (level: string): boolean {
    if (this.#child) return this.#child.isLevelEnabled(level)
    const threshold = this.options.level
    if (threshold === undefined) return this.parent.isLevelEnabled(level)
    const values = this.parent.levels.values
    return (values[level] ?? -Infinity) >= (values[threshold] ?? Infinity)
  }

  fatal (...args: unknown[]): void { this.#write('fatal', args) }
  error (...args: unknown[]): void { this.#write('error', args) }
  warn (...args: unknown[]): void { this.#write('warn', args) }
  info (...args: unknown[]): void { this.#write('info', args) }
  debug (...args: unknown[]): void { this.#write('debug', args) }
  trace (...args: unknown[]): void { this.#write('trace', args) }
  silent (): void {}

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options)
  }

  #real (): Logger {
    this.#child ??= this.parent.child(this.bindings, this.options)
    return this.#child
  }

  #write (level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.isLevelEnabled(level)) return
    (this.#real()[level] as (...args: unknown[]) => void)(...args)
  }
}

/** Fastify's `childLoggerFactory`. */
export function lazyChildLogger (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(logger as Logger, bindings, options)
}
