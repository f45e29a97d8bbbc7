// Single calls to a gateway child at warm-up, outside the measured windows: filling the cache and proving it.
export interface Answer { status: number, headers: Headers, body: string }

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** One call; one the gateway shed (503, e.g. its event loop lagging on a busy machine) is made again, up to 30 s. */
export async function post (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const until = Date.now() + 30_000
  for (;;) {
    const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) })
    const answer = { status: response.status, headers: response.headers, body: await response.text() }
    if (answer.status !== 503 || Date.now() > until) return answer
    await pause(500)
  }
}

/** A 200 MISS (the call that fills the cache), or an error saying what came instead. */
async function expectMiss (url: string, payload: unknown, headers: Record<string, string>): Promise<void> {
  const answer = await post(url, payload, headers)
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body}`)
  const got = answer.headers.get('x-cache')
  if (got !== 'MISS') throw new Error(`${url} ${JSON.stringify(payload)}: x-cache ${String(got)}, expected MISS`)
}

/**
 * The HIT a request gets once the cache has its result. Asked again until then (up to 30 s): a gateway may answer
 * a miss's first page before it has stored the rest of the result.
 */
export async function untilHit (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const until = Date.now() + 30_000
  for (;;) {
    const answer = await post(url, payload, headers)
    if (answer.status === 200 && answer.headers.get('x-cache') === 'HIT') return answer
    if (answer.status !== 200 || Date.now() > until) throw new Error(`${url} ${JSON.stringify(payload)}: ${answer.status}, x-cache ${String(answer.headers.get('x-cache'))}, no HIT`)
    await pause(100)
  }
}

/** Fills the cache for one request (a MISS) and answers the HIT that follows: what every measured call gets. */
export async function warmHit (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  await expectMiss(url, payload, headers)
  return await untilHit(url, payload, headers)
}
