import t from 'tap'
import { emulator, gateway } from '../helper.js'

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse)
const form = { 'content-type': 'application/x-www-form-urlencoded' }

async function execute (body: string, headers: Record<string, string>): Promise<{ res: Response, answer: Record<string, unknown> }> {
  const res = await gw.post('/v1/actions/echo-types/execute', body, headers)
  return { res, answer: await res.json() as Record<string, unknown> }
}

const json = (value: string): string => encodeURIComponent(value)
const valid = 'name=Bo&count=7&flag=false&day=2024-01-02'

t.test('a form body that names a prototype key is a 400 BODY_INVALID, in every shape the form parser accepts', async (t) => {
  const bodies = [
    // JSON text as the whole body
    '{"__proto__": {"name": "Bo"}}',
    '{"variables": {"__proto__": {"name": "Bo"}}}',
    '{"variables": {"name": "Bo"}, "page": {"__proto__": {"size": 1}}}',
    '{"variables": {"\\u005f_proto__": {"name": "Bo"}}}',
    // a JSON field
    `variables=${json('{"__proto__": {"name": "Bo", "count": 7, "flag": false, "day": "2024-01-02"}}')}`,
    `page=${json('{"__proto__": {"size": 1}}')}&${valid}`,
    `variables=${json('{"note": {"deep": {"__proto__": {"x": 1}}}}')}&${valid}`,
    `variables=${json('{"note": [{"__proto__": {"x": 1}}]}')}&${valid}`,
    // bracketed names
    `variables[__proto__]=Bo&${valid}`,
    'page[__proto__]=1',
    `variables[%5F%5Fproto%5F%5F]=Bo&${valid}`,
    `variables%5B__proto__%5D=Bo&${valid}`,
    // a plain field, taken as a variable
    `__proto__=Bo&${valid}`,
    `%5F%5Fproto%5F%5F=Bo&${valid}`,
    // the other prototype names
    `constructor=Bo&${valid}`,
    `prototype=Bo&${valid}`,
    `variables[constructor]=Bo&${valid}`,
    `page[prototype]=1&${valid}`,
    `variables=${json('{"constructor": {"prototype": {"name": "Bo"}}}')}&${valid}`,
    '{"variables": {"constructor": {"prototype": {"name": "Bo"}}}}'
  ]
  for (const body of bodies) {
    const { res, answer } = await execute(body, form)
    t.equal(res.status, 400, body)
    t.match(answer, { status: 'error', error: 'BODY_INVALID', message: String, requestId: String }, body)
  }
})

t.test('JSON bodies refuse prototype keys the same way', async (t) => {
  for (const body of ['{"__proto__": {"name": "Bo"}}', '{"variables": {"__proto__": {"name": "Bo"}}}', '{"variables": {"constructor": {"prototype": {"name": "Bo"}}}}']) {
    const { res, answer } = await execute(body, {})
    t.equal(res.status, 400, body)
    t.match(answer, { status: 'error', error: 'BODY_INVALID', message: String, requestId: String }, body)
  }
})

t.test('form bodies without prototype keys still run', async (t) => {
  const expected = [{ NAME: 'Bo', COUNT: 7, RATIO: 0.5, FLAG: false, DAY: '2024-01-02', NOTE: null }]
  for (const body of [valid, 'variables[name]=Bo&variables[count]=7&variables[flag]=false&variables[day]=2024-01-02&page[size]=5',
    `variables=${json('{"name": "Bo", "count": 7, "flag": false, "day": "2024-01-02"}')}`, '{"variables": {"name": "Bo", "count": 7, "flag": false, "day": "2024-01-02"}}',
    // names that merely contain a prototype name are ordinary names
    `${valid}&variables[proto]=x&__proto=x`]) {
    const { res, answer } = await execute(body, form)
    t.equal(res.status, 200, body)
    t.same(answer.rows, expected, body)
  }
})
