import t from 'tap'
import { emulator, gateway } from '../helper.js'

// What a Studio author sees after the mistakes a new user makes: each answer names what is wrong and what the
// gateway expects instead, in the error envelope, as a 4xx.

interface Answer {
  status: string
  error: string
  message: string
  details?: unknown
  requestId: string
}

const warehouse = await emulator(t)
const shipped = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' })
const fixtures = await gateway(t, warehouse)
const form = { 'content-type': 'application/x-www-form-urlencoded' }

async function post (path: string, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }, gw = shipped): Promise<{ res: Response, answer: Answer }> {
  const res = await fetch(gw.url + path, { method: 'POST', headers, body })
  return { res, answer: await res.json() as Answer }
}

const segment = '/v1/actions/segment-customers/execute'

t.test('a JSON body without the variables wrapper names the property and says the body is {variables, page}', async (t) => {
  const { res, answer } = await post(segment, '{"segment":"GOLD"}')
  t.equal(res.status, 400)
  t.match(answer, { status: 'error', error: 'REQUEST_INVALID', requestId: String })
  t.match(answer.message, /unexpected property 'segment'/)
  t.match(answer.message, /\{variables, page, mode, callback\}/)
  t.match(answer.message, /inside variables/, 'says where the variable belongs')
  t.same(answer.details, [{ path: '/', message: 'must NOT have additional properties', params: { additionalProperty: 'segment' } }])

  const two = await post(segment, '{"segment":"GOLD","minLifetimeValue":5}')
  t.match(two.answer.message, /unexpected properties 'segment', 'minLifetimeValue'/)
  t.equal((two.answer.details as unknown[]).length, 2, 'each problem in details')

  const beside = await post(segment, '{"variables":{"segment":"GOLD"},"limit":5}')
  t.match(beside.answer.message, /unexpected property 'limit'/, 'beside variables, too')

  const asForm = await post(segment, '{"segment":"GOLD"}', form)
  t.equal(asForm.res.status, 400)
  t.match(asForm.answer, { error: 'REQUEST_INVALID', message: /unexpected property 'segment'.*\{variables, page, mode, callback\}/ }, 'the same body posted as a form')
})

t.test('other body mistakes name where they are and what is expected there', async (t) => {
  const page = await post(segment, '{"variables":{"segment":"GOLD"},"page":{"cursr":"x"}}')
  t.equal(page.res.status, 400)
  t.match(page.answer.message, /page has an unexpected property 'cursr'.*\{size, cursor\}/)
  t.match(page.answer.details, [{ path: '/page', params: { additionalProperty: 'cursr' } }])

  const notObject = await post(segment, '{"variables":"segment=GOLD"}')
  t.match(notObject.answer, { error: 'REQUEST_INVALID', message: /variables must be object/, details: [{ path: '/variables', message: 'must be object' }] })

  const none = await post(segment, undefined, {})
  t.equal(none.res.status, 400)
  t.match(none.answer, { error: 'REQUEST_INVALID', message: /no body.*\{variables, page, mode, callback\}/ })

  const stream = await post('/v1/actions/segment-customers/stream', '{"segment":"GOLD"}')
  t.equal(stream.res.status, 400)
  t.match(stream.answer.message, /unexpected property 'segment'.*\{variables, all\}/, 'the stream body names its own shape')

  const long = await post(segment, JSON.stringify({ ['x'.repeat(500)]: 1 }))
  t.ok(long.answer.message.length < 400, 'a long property name is shortened in the message')
})

t.test('broken JSON in a form body names only fields the caller sent', async (t) => {
  const whole = await post(segment, '{bad', form)
  t.equal(whole.res.status, 400)
  t.equal(whole.answer.error, 'BODY_INVALID')
  t.notMatch(whole.answer.message, /field/, `no field is named: ${whole.answer.message}`)
  t.match(whole.answer.message, /not valid JSON/)
  t.match(whole.answer.message, /position 1/, 'says where it breaks')

  const proto = await post(segment, '{"__proto__": {"segment": "GOLD"}}', form)
  t.equal(proto.answer.error, 'BODY_INVALID')
  t.notMatch(proto.answer.message, /field/, `no field is named: ${proto.answer.message}`)

  const variables = await post(segment, 'variables={bad', form)
  t.match(variables.answer, { error: 'BODY_INVALID', message: /form field 'variables' is not valid JSON/ })

  const page = await post(segment, 'segment=GOLD&page={bad', form)
  t.match(page.answer, { error: 'BODY_INVALID', message: /form field 'page' is not valid JSON/ })

  const array = await post(segment, 'variables=[1]', form)
  t.match(array.answer, { error: 'BODY_INVALID', message: /form field 'variables' must hold a JSON object/ })
  t.notMatch(array.answer.message, /not valid JSON/, 'valid JSON of the wrong kind is told apart')

  const secret = await post(segment, 'variables={"segment": "ZQXSECRET"', form)
  t.notMatch(secret.answer.message, /ZQXSECRET/, 'the broken text is not echoed')
})

t.test('415 names the content types the gateway reads, in the message, the details and Accept-Post', async (t) => {
  const accepted = ['application/json', 'application/x-www-form-urlencoded']
  for (const [name, headers] of [['text/plain', { 'content-type': 'text/plain' }], ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }], ['none', {}]] as const) {
    const { res, answer } = await post(segment, 'segment=GOLD', headers)
    t.equal(res.status, 415, name)
    t.match(answer, { status: 'error', error: 'UNSUPPORTED_MEDIA_TYPE', requestId: String }, name)
    for (const type of accepted) t.match(answer.message, type, `${name}: the message lists ${type}`)
    t.same(answer.details, { accepted }, `${name}: details`)
    t.equal(res.headers.get('accept-post'), accepted.join(', '), `${name}: Accept-Post`)
  }
  const none = await fetch(shipped.url + segment, { method: 'POST', body: new Uint8Array([123, 125]) })
  t.match(((await none.json()) as Answer).message, /no Content-Type/, 'a body without a content type is told so')
})

t.test('a variable the action does not take is named in the message, with the closest one it does', async (t) => {
  const typo = await post(segment, '{"variables":{"segmnt":"GOLD"}}')
  t.equal(typo.res.status, 400)
  t.match(typo.answer, { error: 'VARIABLES_INVALID' })
  t.match(typo.answer.message, /unknown variable 'segmnt' \(did you mean 'segment'\?\)/)
  t.match(typo.answer.message, /'segment' is required/)
  t.match(typo.answer.message, /takes segment, minLifetimeValue/)
  t.match(typo.answer.details, [{ path: '/', params: { missingProperty: 'segment' } }, { path: '/', params: { additionalProperty: 'segmnt' } }], 'details keep each problem with its path')

  const defaulted = await post(segment, '{"variables":{"segment":"GOLD","minLifetimeValu":3}}')
  t.match(defaulted.answer.message, /'minLifetimeValu' \(did you mean 'minLifetimeValue'\?\)/, 'a variable with a default is suggested too')

  const upper = await post(segment, '{"variables":{"SEGMENT":"GOLD"}}')
  t.match(upper.answer.message, /'SEGMENT' \(did you mean 'segment'\?\)/, 'names differ in case, too')

  const extra = await post(segment, 'segment=GOLD&contactId=123&skill=Sales', form)
  t.equal(extra.res.status, 400)
  t.match(extra.answer.message, /unknown variables 'contactId', 'skill'/, 'form fields Studio adds are named')

  const wrongType = await post(segment, '{"variables":{"segment":"GOLD","minLifetimeValue":"lots"}}')
  t.match(wrongType.answer.message, /'minLifetimeValue' must be number/)
  const notAllowed = await post(segment, '{"variables":{"segment":"TIN"}}')
  t.match(notAllowed.answer.message, /'segment' must be equal to one of the allowed values: PLATINUM, GOLD, SILVER, BRONZE/)
})

t.test('an action whose input schema allows other variables takes them and ignores them', async (t) => {
  const { res } = await post('/v1/actions/echo-types/execute', 'name=Bo&count=7&flag=false&day=2024-01-02&contactId=123', form, fixtures)
  t.equal(res.status, 200)
})

t.test('sensitive values stay out of the messages', async (t) => {
  const { answer } = await post('/v1/actions/customer-lookup/execute', '{"variables":{"customerId":"ZQX-not-an-id","customerID":"x"}}')
  t.equal(answer.error, 'VARIABLES_INVALID')
  t.notMatch(answer.message, /ZQX-not-an-id/)
  t.match(answer.message, /'customerId' must match pattern/)
})
