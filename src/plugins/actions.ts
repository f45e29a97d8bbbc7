import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Action } from '../actions/load.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The action files loaded at start, by id. */
    actions: Map<string, Action>
  }
}

async function actionsPlugin (app: FastifyInstance, options: { actions: Map<string, Action> }): Promise<void> {
  app.decorate('actions', options.actions)
}

export default fp(actionsPlugin, { name: 'actions' })
