import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { CursorCodec } from '../paging/cursor.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs and checks the page cursors handed to callers. */
    cursors: CursorCodec
  }
}

async function cursorsPlugin (app: FastifyInstance, options: { cursors: CursorCodec }): Promise<void> {
  app.decorate('cursors', options.cursors)
}

export default fp(cursorsPlugin, { name: 'cursors' })
