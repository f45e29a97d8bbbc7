import { inspect } from 'node:util'
import t from 'tap'
import { capturedLogger, client, configFor } from './helper.js'
import { localCxone } from './local-cxone.js'

t.test('no secret and no token in any log line or error, whatever goes wrong', async (t) => {
  const cxone = await localCxone(t, { expiresIn: 2 })
  const { logger, lines } = capturedLogger()
  const errors: unknown[] = []
  const attempt = async (cx: ReturnType<typeof client>, contactId: string, deadlineMs = 5000): Promise<void> => {
    await cx.signal(contactId, ['p1-value'], { deadline: Date.now() + deadlineMs }).catch((error: unknown) => { errors.push(error) })
  }
  const cx = client(t, configFor(cxone, 'discovery'), { logger })

  await attempt(cx, '1')
  cxone.rejectSignals(1)
  await attempt(cx, '2')
  cxone.rejectSignals(2)
  await attempt(cx, '3')
  cxone.failSignals(2, 503)
  await attempt(cx, '4')
  cxone.failSignals(1, 429, '1')
  await attempt(cx, '5', 500)
  cxone.expireTokens()
  cxone.failTokens(1, 503)
  await attempt(cx, '6')
  cxone.expireTokens()
  cxone.garbleTokens(1)
  await attempt(cx, '7')
  await attempt(cx, '8')
  // Past the refresh point, with the token endpoint failing: a background refresh fails and is logged.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  cxone.failTokens(1, 400)
  await attempt(cx, '8')
  await new Promise((resolve) => setTimeout(resolve, 50))
  cxone.signalDelayMs = 1000
  await attempt(client(t, configFor(cxone, 'overrides', { timeoutMs: 200 }), { logger }), '9', 600)
  cxone.signalDelayMs = 0
  await attempt(client(t, configFor(cxone, 'overrides', { clientSecret: cxone.clientSecret + 'x' }), { logger }), '10')
  await attempt(client(t, configFor(cxone, 'overrides', { accessKeySecret: cxone.accessKeySecret + 'x' }), { logger }), '11')

  const secrets = [
    cxone.clientSecret,
    cxone.accessKeySecret,
    Buffer.from(`${cxone.clientId}:${cxone.clientSecret}`).toString('base64'),
    ...cxone.issued
  ]
  t.ok(cxone.issued.length >= 4, `${cxone.issued.length} tokens issued`)
  t.ok(lines.length >= 10, `${lines.length} log lines, at trace`)
  t.match(lines.join('\n'), /cxone token obtained/)
  t.match(lines.join('\n'), /cxone signal failed; retrying/)
  t.match(lines.join('\n'), /refresh ahead of expiry failed/)
  t.match(lines.join('\n'), /"code":"CXONE_AUTH_REJECTED","status":400,"msg":"cxone token request failed"/)
  t.same(new Set(errors.map((e) => (e as { code: string }).code)), new Set(['CXONE_UNAUTHORIZED', 'CXONE_UNAVAILABLE', 'CXONE_RESPONSE_INVALID', 'CXONE_DEADLINE', 'CXONE_AUTH_REJECTED']))
  const told = [
    ...lines,
    ...errors.flatMap((e) => [String(e), (e as Error).message, (e as Error).stack ?? '', inspect(e, { depth: 8, showHidden: true }), JSON.stringify(e)])
  ].join('\n')
  for (const secret of secrets) t.notOk(told.includes(secret), `${secret.slice(0, 6)}… appears nowhere`)
})
