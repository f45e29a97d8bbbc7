import closeWithGrace from 'close-with-grace'
import { ActionFileError } from './actions/load.js'
import { TenantsFileError } from './auth/tenants.js'
import { ConfigError, loadConfig } from './config.js'
import { checkPort, portError, PortError } from './port-check.js'
import { createService } from './service.js'

let service
let config
try {
  config = loadConfig()
  // Before anything is started: a port in use is the likeliest reason a start fails.
  await checkPort(config.port, config.host)
  service = await createService(config)
  const { port, host } = config
  await service.app.listen({ port, host }).catch((err: unknown) => { throw portError(err, port, host) ?? err })
} catch (err) {
  if (err instanceof ConfigError || err instanceof ActionFileError || err instanceof TenantsFileError || err instanceof PortError) {
    console.error(err.message)
    process.exit(1)
  }
  throw err
}

const running = service
// The service's own shutdown is bounded (delay, grace, then cancel); this only stops a close that hangs anyway.
// SIGHUP reloads the action files (below) instead of closing.
closeWithGrace({ delay: config.shutdown.delayMs + config.shutdown.graceMs + 10_000, skip: ['SIGHUP'] }, async ({ err, signal }) => {
  if (err) running.app.log.error({ err }, 'closing after an uncaught error')
  else running.app.log.info({ signal }, 'closing')
  await running.close()
})
process.on('SIGHUP', () => {
  running.app.log.info({ signal: 'SIGHUP' }, 'reloading the action files')
  // The reload logs its own outcome.
  running.app.reloadActions().catch(() => {})
})
const url = running.app.listeningOrigin
console.log(`cxone-snowflake-gateway listening on ${url} (try: curl ${url}/v1/actions)`)
