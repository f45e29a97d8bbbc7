import t from 'tap'
import { CursorCodec } from '../../src/paging/cursor.js'

const position = { tenant: 'acme', actionId: 'segment-customers', definitionHash: 'h1', queryId: 'q1', resultKey: 'k1', offset: 25, size: 25 }

t.test('a cursor decodes to where it was made, for its own tenant, action and definition', async (t) => {
  const codec = new CursorCodec('a-secret-of-sixteen+', 60)
  const cursor = codec.encode(position)
  t.same(codec.decode(cursor, 'acme', 'segment-customers', 'h1'), position)
  t.throws(() => codec.decode(cursor, 'beta', 'segment-customers', 'h1'), /another tenant/)
  t.throws(() => codec.decode(cursor, 'acme', 'customer-lookup', 'h1'), /belongs to action 'segment-customers'/)
  t.throws(() => codec.decode(cursor, 'acme', 'segment-customers', 'h2'), /action has changed/)
})

t.test('an expired cursor is refused', async (t) => {
  const codec = new CursorCodec('a-secret-of-sixteen+', 60)
  const made = Date.now()
  const cursor = codec.encode(position, made)
  t.ok(codec.decode(cursor, 'acme', 'segment-customers', 'h1', made + 59_000))
  t.throws(() => codec.decode(cursor, 'acme', 'segment-customers', 'h1', made + 61_000), /expired/)
})

t.test('another secret (another deployment, or a restart without CURSOR_SECRET) does not verify it', async (t) => {
  const cursor = new CursorCodec('a-secret-of-sixteen+', 60).encode(position)
  t.throws(() => new CursorCodec('another-secret-16+!', 60).decode(cursor, 'acme', 'segment-customers', 'h1'), /not issued by this gateway/)
  t.throws(() => new CursorCodec(undefined, 60).decode(cursor, 'acme', 'segment-customers', 'h1'), /not issued by this gateway/)
  // Without a secret each codec draws its own: a cursor verifies with the codec that made it and no other.
  const unset = new CursorCodec(undefined, 60)
  const own = unset.encode(position)
  t.equal(unset.decode(own, 'acme', 'segment-customers', 'h1').offset, position.offset)
  t.throws(() => new CursorCodec(undefined, 60).decode(own, 'acme', 'segment-customers', 'h1'), /not issued by this gateway/)
})

t.test('a cursor made again within its expiry second is the same; each position and each second gets its own', async (t) => {
  const codec = new CursorCodec('a-secret-of-sixteen+', 60)
  const second = 1_800_000_000_000
  const first = codec.encode(position, second)
  t.equal(codec.encode(position, second + 999), first, 'the same position and expiry: the same cursor')
  const later = codec.encode(position, second + 1000)
  t.not(later, first, 'a second later the expiry moves')
  t.equal(codec.decode(later, 'acme', 'segment-customers', 'h1', second + 1000).offset, 25)
  const next = codec.encode({ ...position, offset: 50 }, second + 1000)
  t.equal(codec.decode(next, 'acme', 'segment-customers', 'h1', second + 1000).offset, 50, 'another position is not answered from the memo')
  // Made by a codec that never saw it: the memo gives what signing gives.
  t.equal(new CursorCodec('a-secret-of-sixteen+', 60).encode(position, second + 1000), later)
})

t.test('digests are those of the values, whether or not a result key lets them be remembered', async (t) => {
  const codec = new CursorCodec('a-secret-of-sixteen+', 60)
  const names = ['customerId', 'region']
  const plain = codec.digests(names, { customerId: 'C1', region: 'EU' })
  t.same(codec.digests(names, { customerId: 'C1', region: 'EU' }, 'k1'), plain)
  t.same(codec.digests(names, { customerId: 'C1', region: 'EU' }, 'k1'), plain, 'remembered under k1')
  const other = codec.digests(names, { customerId: 'C2', region: 'EU' }, 'k2')
  t.not(other.customerId, plain.customerId, 'another result key, other values: other digests')
  t.equal(other.region, plain.region)
})

t.test('a cursor checked once is remembered, but only as itself: an altered copy is refused every time', async (t) => {
  const codec = new CursorCodec('a-secret-of-sixteen+', 60)
  const cursor = codec.encode(position)
  t.equal(codec.decode(cursor, 'acme', 'segment-customers', 'h1').offset, 25)
  const [body = '', signature = ''] = cursor.split('.')
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()) as object, o: 5000 })).toString('base64url')
  for (let n = 0; n < 2; n++) {
    t.throws(() => codec.decode(`${forged}.${signature}`, 'acme', 'segment-customers', 'h1'), /not issued by this gateway/)
    t.throws(() => codec.decode(`${body}.${signature.slice(0, -1)}A`, 'acme', 'segment-customers', 'h1'), /not issued by this gateway|altered/)
  }
  t.equal(codec.decode(cursor, 'acme', 'segment-customers', 'h1').offset, 25, 'the genuine one still decodes')
})
