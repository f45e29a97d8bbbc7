import closeWithGrace from 'close-with-grace'
import { ActionFileError } from './actions/load.js'
import { TenantsFileError } from './auth/tenants.js'
import { ConfigError, loadConfig } from './config.js'
import { createService } from './service.js'

let service
let config
try {
  config = loadConfig()
  service = await createService(config)
  await service.app.listen({ port: config.port, host: config.host })
} catch (err) {
  if (err instanceof ConfigError || err instanceof ActionFileError || err instanceof TenantsFileError) {
    console.error(err.message)
    process.exit(1)
  }
  throw err
}

const running = service
// The service's own shutdown is bounded (delay, grace, then cancel); this only stops a close that hangs anyway.
closeWithGrace({ delay: config.shutdown.delayMs + config.shutdown.graceMs + 10_000 }, async ({ err, signal }) => {
  if (err) running.app.log.error({ err }, 'closing after an uncaught error')
  else running.app.log.info({ signal }, 'closing')
  await running.close()
})
const url = running.app.listeningOrigin
console.log(`cxone-snowflake-gateway listening on ${url} (try: curl ${url}/v1/actions)`)
