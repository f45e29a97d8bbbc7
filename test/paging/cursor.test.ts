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
