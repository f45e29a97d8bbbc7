/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it aborts. Work that cannot be
 * withdrawn goes on: what it yields after the abort is handed to `late` (to give a pooled connection back).
 */
export async function untilAborted<T> (work: Promise<T>, signal: AbortSignal, late?: (value: T) => void): Promise<T> {
  signal.throwIfAborted()
  return await new Promise((resolve, reject) => {
    const abort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', abort, { once: true })
    work.then((value) => {
      signal.removeEventListener('abort', abort)
      if (signal.aborted) late?.(value)
      else resolve(value)
    }, (err: unknown) => {
      signal.removeEventListener('abort', abort)
      reject(err)
    })
  })
}
