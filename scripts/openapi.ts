import { writeFile } from 'node:fs/promises'
import { genericOpenapiYaml } from './openapi-document.js'

const file = new URL('../openapi.yaml', import.meta.url)
await writeFile(file, await genericOpenapiYaml())
console.log(`wrote ${file.pathname}`)
