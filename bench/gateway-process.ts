// The gateway as deployed (createService over the environment), in its own process so its RSS is its own.
// Prints its URL first and, when told to stop, its peak RSS.
import { loadConfig } from '../src/config.js'
import { createService } from '../src/service.js'
import { peakRssMb } from './shared.js'

const service = await createService(loadConfig(process.env))
console.log(await service.app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  service.close().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
