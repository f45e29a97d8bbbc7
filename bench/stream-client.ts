// Reads a whole NDJSON response and counts its lines, without parsing them: the client's cost stays small.
export interface StreamResult {
  rows: number
  ms: number
  rowsPerSecond: number
}

export async function countNdjson (url: string, body: unknown): Promise<StreamResult> {
  const started = performance.now()
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (response.status !== 200 || response.body === null) throw new Error(`${url} answered ${response.status}: ${await response.text()}`)
  let rows = 0
  for await (const chunk of response.body) {
    const bytes = chunk as Uint8Array
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) rows++
  }
  const ms = performance.now() - started
  return { rows, ms: Math.round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)) }
}
