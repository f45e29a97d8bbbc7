import t from 'tap'
import { EntrySigner } from '../../src/cache/entry-signer.js'

const rows = '["C1","a"],["C2","b"]'

t.test('an entry verifies under its own key with its own bytes, however often it was verified before', async (t) => {
  const signer = new EntrySigner('a-secret-of-sixteen+')
  const stored = signer.sign('result:k1', { ends: [11, 22] }, rows)
  for (let n = 0; n < 2; n++) {
    t.same(signer.verify('result:k1', stored), { header: '{"ends":[11,22]}', rows }, `verified (${n === 0 ? 'checked' : 'remembered'})`)
    t.equal(signer.verify('result:k2', stored), undefined, 'moved under another key: refused')
    t.equal(signer.verify('result:k1', stored.replace('C2', 'C9')), undefined, 'rows altered: refused')
    t.equal(signer.verify('result:k1', stored.slice(0, -1)), undefined, 'cut short: refused')
  }
  t.same(signer.verify('result:k1', stored), { header: '{"ends":[11,22]}', rows }, 'the genuine entry still verifies after a refusal')
})

t.test('another key (another deployment) does not verify the entry', async (t) => {
  const stored = new EntrySigner('a-secret-of-sixteen+').sign('result:k1', { ends: [11, 22] }, rows)
  t.equal(new EntrySigner('another-secret-16+!').verify('result:k1', stored), undefined)
})
