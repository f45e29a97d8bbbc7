import { createServer } from 'node:net'

/** The port or host cannot be listened on: one line that says which and what to change. */
export class PortError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PortError'
  }
}

/** The one-line reason `listen` failed on PORT/HOST, when it is one a user can fix by configuration. */
export function portError (err: unknown, port: number, host: string): PortError | undefined {
  switch ((err as { code?: unknown } | null)?.code) {
    case 'EADDRINUSE': return new PortError(`PORT ${port} is already in use on ${host}: stop what listens there, or set PORT to a free port`)
    case 'EACCES': return new PortError(`PORT ${port} on ${host} needs privileges this process does not have: set PORT to 1024 or above`)
    case 'EADDRNOTAVAIL': return new PortError(`HOST ${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0`)
  }
  return undefined
}

/**
 * Binds PORT on HOST and lets go at once, so a port in use stops the start before the embedded emulator, the
 * warehouse pool and the cache are started for nothing. Another process may still take the port in between:
 * the real listen reports that the same way.
 */
export async function checkPort (port: number, host: string): Promise<void> {
  if (port === 0) return
  const probe = createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => { reject(portError(err, port, host) ?? err) })
    probe.listen({ port, host, exclusive: true }, () => { probe.close(() => { resolve() }) })
  })
}
