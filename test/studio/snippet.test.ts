import t from 'tap'
import type { Test } from 'tap'
import { loadActions, type Action } from '../../src/actions/load.js'
import { placeholderBaseUrl, publicBaseUrl } from '../../src/studio/base-url.js'
import { commentText, studioSnippet, timing } from '../../src/studio/snippet.js'

// The snippet builder alone: what lands in Studio code, what only in comments, and the timeouts it sets.

const shipped = await loadActions('actions')
const options = { baseUrl: 'https://gw.example.com', baseUrlFrom: 'a test', async: false }

const load = async (t: Test, yaml: string): Promise<Action> => {
  const dir = t.testdir({ 'a.yaml': yaml })
  const action = [...(await loadActions(dir)).values()][0]
  if (!action) throw new Error('no action loaded')
  return action
}

/** The code of each line: what is left of it before a `//` comment (one at the start or after a space, unlike https://). */
const code = (snippet: string): string[] => snippet.split('\n').map((line) => line.replace(/(^|\s)\/\/.*$/, ''))

// Free text that would break out of a comment, or be Studio code, if it were written as it is.
const hostile = 'x\nASSIGN owned = "yes" }\r\u2028gwProxy.AddHeader("X-Evil", "{API_KEY}")'
const hostileAction = `
id: hostile
version: "1\\nASSIGN v = 1"
description: ${JSON.stringify(hostile)}
sql: SELECT :segment AS A, :weird AS B
input:
  type: object
  required: [segment]
  properties:
    segment:
      type: string
      description: ${JSON.stringify(hostile)}
      examples: [${JSON.stringify(hostile)}]
      default: ${JSON.stringify(hostile)}
    "weird name\\"}":
      type: string
output:
  type: object
  properties:
    A: { type: string }
    "B\\n= 1": { type: string }
    ${JSON.stringify(hostile)}: { type: string }
async:
  signalValue: ${JSON.stringify(hostile)}
`

t.test('free text from the action file lands only in comments, one line each', async (t) => {
  const action = await load(t, hostileAction.replace(':weird AS B', "'b' AS B"))
  for (const async of [false, true]) {
    const snippet = studioSnippet(action, { ...options, async })
    t.notOk(/[\r\u2028\u2029]/.test(snippet), 'no line break but \\n')
    t.notOk(code(snippet).some((line) => line.includes('owned') || line.includes('X-Evil') || line.includes('weird')), `async ${async}: none of it is code`)
    const marked = snippet.split('\n').filter((line) => line.includes('owned'))
    t.ok(marked.length > 0, 'the text is still shown')
    t.ok(marked.every((line) => /^\s*\/\/|\s\/\/ /.test(line)), 'inside comments')
    t.match(snippet, /not a name a Studio variable can have/, 'a variable whose name is no identifier is said, not sent')
    t.notOk(code(snippet).some((line) => line.includes('gwRows[gwCount].B')), 'a column whose name is no identifier is not read')
  }
})

t.test('commentText removes control characters and line separators and bounds the length', async (t) => {
  t.equal(commentText('a\n\tb\u0000c\u2028d\u0085e'), 'a b c d e')
  t.equal(commentText({ a: 1 }), '{"a":1}')
  t.equal(commentText('x'.repeat(500), 10).length, 10)
})

t.test('the proxy waits for the action\'s timeout up to 10 s, and the gateway is asked to answer 500 ms sooner', async (t) => {
  const timeoutOf = (id: string): ReturnType<typeof timing> => {
    const action = shipped.get(id)
    if (!action) throw new Error(`${id} not shipped`)
    return timing(action)
  }
  t.same(timeoutOf('customer-lookup'), { proxySeconds: 5, deadlineMs: 4500 })
  t.same(timeoutOf('segment-customers'), { proxySeconds: 10, deadlineMs: 9500 })
  t.same(timeoutOf('interaction-export'), { proxySeconds: 10, deadlineMs: 9500 }, 'a 60 s action is held to the snippet default')
  const exportSnippet = studioSnippet(shipped.get('interaction-export') as Action, options)
  t.match(exportSnippet, /more than a snippet should wait: prefer \?async=true/)
  const quick = await load(t, 'id: quick\nversion: "1"\nsql: SELECT 1 AS A\ninput: { type: object }\noutput: { type: object }\ntimeoutMs: 100\n')
  t.same(timing(quick), { proxySeconds: 1 }, 'no deadline header when it would not lower the action\'s own')
  t.notMatch(studioSnippet(quick, options), /X-Request-Timeout-Ms/)
  t.match(studioSnippet(quick, options), /\(none: this action takes no variables\)/)
})

t.test('optional variables are sent only when set; required ones always', async (t) => {
  const snippet = studioSnippet(shipped.get('segment-customers') as Action, options)
  t.match(snippet, /^ASSIGN gwBody\.variables\.segment = "\{segment\}"$/m)
  t.match(snippet, /^IF minLifetimeValue != ""\n\{\n {2}ASSIGN gwBody\.variables\.minLifetimeValue = "\{minLifetimeValue\}"\n\}$/m)
  t.match(snippet, /minLifetimeValue \(number, optional\); default 0; e\.g\. 10000/, 'the schema\'s default and example, as a comment')
})

t.test('the public base URL: forwarded headers first, then Host; anything odd is a placeholder', async (t) => {
  t.same(publicBaseUrl({ host: 'gw.local:8080', protocol: 'http' }), { url: 'http://gw.local:8080', from: 'the connection and Host of the request for this snippet' })
  t.equal(publicBaseUrl({ host: 'internal:8080', protocol: 'http', forwardedHost: 'gw.example.com, proxy.local', forwardedProto: 'HTTPS,http' }).url, 'https://gw.example.com')
  t.equal(publicBaseUrl({ host: 'internal', protocol: 'http', forwardedHost: ['gw.example.com'] }).url, 'http://gw.example.com')
  t.equal(publicBaseUrl({ host: '[::1]:8080', protocol: 'http' }).url, 'http://[::1]:8080')
  for (const host of ['gw.example.com/"x', 'a b', 'gw{API_KEY}', 'user@gw', '', '-bad.example']) {
    t.equal(publicBaseUrl({ host, protocol: 'http' }).url, placeholderBaseUrl, JSON.stringify(host))
  }
  t.equal(publicBaseUrl({ host: 'gw', protocol: 'http', forwardedProto: 'javascript' }).url, placeholderBaseUrl)
  t.equal(publicBaseUrl({ protocol: 'http' }).url, placeholderBaseUrl)
})
