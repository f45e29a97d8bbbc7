import Keyv, { type KeyvOptions } from 'keyv'

/**
 * keyv over a store, for values that are already strings (signed entries): stored and read back byte for byte.
 * keyv's own format would wrap each in JSON (`{"value":"…"}`), escaping every quote on write and read; expiry
 * is the store's (Redis PX, the LRU's ttl), so keyv's `expires` field is not needed.
 */
export function keyvOfStrings (store: KeyvOptions['store'], namespace?: string): Keyv<string> {
  const keyv = new Keyv<string>({
    store,
    ...(namespace ? { namespace } : {}),
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: (data) => data.value as string,
    deserialize: (raw) => ({ value: raw as never })
  })
  // keyv re-emits store errors; without a listener an 'error' event would crash the process.
  keyv.on('error', () => {})
  return keyv
}
