import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what survived the last full collection before the next one
 * (`--heap-growing-percent`). V8's own choice grows with how cheap collections look, up to 4x: a stream, whose
 * rows are promoted and die a chunk later, left 300-400 MB of garbage on a ~90 MB live heap (docs/streaming.md).
 * 0 gives the choice back to V8. Set at start by the service itself, so `npm start`, the image and the bench's
 * gateways run with the same value; V8 reads it at every collection, so setting it after start takes effect.
 */
export function applyHeapGrowth (percent: number, set: (flags: string) => void = setFlagsFromString): void {
  set(`--heap-growing-percent=${percent}`)
}
