// Single calls to a gateway child at warm-up, outside the measured windows: filling the cache and proving it.
export interface Answer { status: number, headers: Headers, body: string }

export async function post (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) })
  return { status: response.status, headers: response.headers, body: await response.text() }
}

/** A 200 answer with the `x-cache` it must carry, or an error saying what came instead. */
export async function expectCache (url: string, payload: unknown, cache: 'MISS' | 'HIT', headers: Record<string, string> = {}): Promise<Answer> {
  const answer = await post(url, payload, headers)
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body}`)
  const got = answer.headers.get('x-cache')
  if (got !== cache) throw new Error(`${url} ${JSON.stringify(payload)}: x-cache ${String(got)}, expected ${cache}`)
  return answer
}

/** Fills the cache for one request (a MISS) and answers the HIT that follows: what every measured call gets. */
export async function warmHit (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  await expectCache(url, payload, 'MISS', headers)
  return await expectCache(url, payload, 'HIT', headers)
}
