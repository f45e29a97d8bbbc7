// Checks a folder of action files offline, as the start does, and names every bad file:
//   npm run actions:check [dir]      (default: ACTIONS_DIR, else ./actions)
import { checkActions } from '../src/actions/load.js'
import { loadConfig } from '../src/config.js'

// Only ACTIONS_DIR is taken from the environment: the rest of it does not matter to a check.
const dir = process.argv[2] ?? loadConfig({ ACTIONS_DIR: process.env.ACTIONS_DIR }).actionsDir
const { actions, problems } = await checkActions(dir)
for (const action of actions.values()) console.log(`ok   ${action.id} (${action.file})`)
// Word for word what the start prints, so a check and a failed start read the same.
for (const problem of problems) console.error(problem.message)
if (problems.length > 0) {
  console.error(`${problems.length} problem(s) in ${dir}: the gateway would not start with this folder, and a running one would keep its actions`)
  process.exitCode = 1
} else if (actions.size === 0) {
  console.error(`no action files (*.yaml, *.yml) in ${dir}`)
  process.exitCode = 1
} else {
  console.log(`${actions.size} action(s) in ${dir}: all good`)
}
