import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Action } from '../actions/load.js'
import { ReloadableActions, type ReloadResult } from '../actions/reload.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The action files in use, by id: those loaded at start, until a reload replaces them whole. */
    readonly actions: Map<string, Action>
    /** Reads ACTIONS_DIR again; a bad file keeps the actions in use (SIGHUP calls this). */
    reloadActions: () => Promise<ReloadResult>
  }
}

export interface ActionsOptions {
  actions: Map<string, Action>
  /** Reload when a file of ACTIONS_DIR changes. */
  watch?: boolean
}

async function actionsPlugin (app: FastifyInstance, options: ActionsOptions): Promise<void> {
  const actions = new ReloadableActions(app.config.actionsDir, options.actions, app.log)
  app.decorate('actions', { getter: () => actions.current })
  app.decorate('reloadActions', async () => await actions.reload())
  if (options.watch === true) actions.watch()
  app.addHook('onClose', async () => { await actions.close() })
}

export default fp(actionsPlugin, { name: 'actions', dependencies: ['config'] })
