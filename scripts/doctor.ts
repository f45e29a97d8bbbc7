// Checks that the configured Snowflake account is one the gateway can work with, and says what is wrong in
// plain words: npm run doctor (with the gateway's environment; see .env.example and docs/snowflake.md).
//   configuration → login → role, warehouse, database, schema → each action's SQL compiles → query history
import pino from 'pino'
import { checkActions, type Action } from '../src/actions/load.js'
import { ConfigError, loadConfig, type SnowflakeConfig } from '../src/config.js'
import { bindVariables } from '../src/execution/binds.js'
import { connectionOptions, type Target } from '../src/warehouse/connection-options.js'
import { configureDriver, snowflake, type Bind, type Connection, type SnowflakeError } from '../src/warehouse/driver.js'

const loginTimeoutMs = 30_000
let problems = 0

const ok = (what: string, detail: string): void => { console.log(`ok       ${what}: ${detail}`) }
const problem = (what: string, detail: string, fix?: string): void => {
  problems++
  console.log(`PROBLEM  ${what}: ${detail}${fix ? `\n         → ${fix}` : ''}`)
}

/** Snowflake's own words, with its code, on one line. */
const said = (err: unknown): string => {
  const { code, message } = (err ?? {}) as Partial<SnowflakeError>
  return `${String(message ?? err).replace(/\s*\n\s*/g, ' ')}${code ? ` (${code})` : ''}`
}

function loginFix (err: unknown, config: SnowflakeConfig, target: Target): string {
  const { code, message = '' } = (err ?? {}) as Partial<SnowflakeError> & { code?: string | number }
  const role = target.role ?? config.role
  const warehouse = target.warehouse ?? config.warehouse
  if (['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(String(code)) || /getaddrinfo|ECONNREFUSED|timed out/i.test(message)) {
    return 'the account cannot be reached: check SNOWFLAKE_ACCOUNT (orgname-accountname) or SNOWFLAKE_ACCESS_URL, and that this network allows HTTPS to it (docs/snowflake.md, "Network")'
  }
  if (String(code) === '390144' || /JWT/i.test(message)) {
    return `the key pair was refused: the user's RSA_PUBLIC_KEY must be the public half of ${config.privateKeyPath ?? 'SNOWFLAKE_PRIVATE_KEY_PATH'}, and SNOWFLAKE_USER (${config.user}) the user it is set on (docs/snowflake.md, "Key pair")`
  }
  if (String(code) === '390100') return 'the user name or password is wrong (SNOWFLAKE_USER, SNOWFLAKE_PASSWORD)'
  if (/not allowed to access Snowflake|network policy/i.test(message)) return 'a network policy refuses this address: add the gateway\'s egress addresses to it (docs/snowflake.md, "Network")'
  if (/role/i.test(message)) return `grant the role to the user: GRANT ROLE ${role ?? '<role>'} TO USER ${config.user}`
  if (/warehouse/i.test(message)) return `grant the warehouse to the role: GRANT USAGE ON WAREHOUSE ${warehouse ?? '<warehouse>'} TO ROLE ${role ?? '<role>'}`
  if (/private ?key|ENOENT|EACCES|passphrase|decrypt/i.test(message)) return 'the private key file cannot be read: check SNOWFLAKE_PRIVATE_KEY_PATH, its permissions and SNOWFLAKE_PRIVATE_KEY_PASSPHRASE'
  return 'see docs/snowflake.md'
}

async function connect (config: SnowflakeConfig, target: Target): Promise<Connection> {
  const connection = snowflake.createConnection(connectionOptions(config, target))
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      // connect(), not connectAsync(): the latter resolves on some failed logins.
      new Promise<Connection>((resolve, reject) => { connection.connect((err, connected) => { if (err) reject(err); else resolve(connected) }) }),
      new Promise<never>((resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${loginTimeoutMs / 1000} s (timed out)`)), loginTimeoutMs) })
    ])
  } finally {
    clearTimeout(timer)
  }
}

async function query (connection: Connection, sqlText: string, binds: Bind[] = [], describeOnly = false): Promise<{ queryId: string, rows: Array<Record<string, unknown>> }> {
  return await new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      binds,
      describeOnly,
      complete: (err, statement, rows) => {
        if (err) reject(err)
        else resolve({ queryId: statement.getQueryId(), rows: (rows ?? []) as Array<Record<string, unknown>> })
      }
    })
  })
}

/** Snowflake folds unquoted names to upper case. */
const same = (configured: string, current: unknown): boolean =>
  typeof current === 'string' && (configured.startsWith('"') ? configured.slice(1, -1) : configured.toUpperCase()) === current

async function checkSession (connection: Connection, config: SnowflakeConfig, target: Target, label: string): Promise<void> {
  const { rows } = await query(connection, 'SELECT CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_DATABASE() AS DATABASE, CURRENT_SCHEMA() AS SCHEMA')
  const current = rows[0] ?? {}
  const role = target.role ?? config.role
  const expected: Array<[string, string | undefined, unknown, string]> = [
    ['warehouse', target.warehouse ?? config.warehouse, current.WAREHOUSE, `it does not exist, or the role has no USAGE on it: GRANT USAGE ON WAREHOUSE ${target.warehouse ?? config.warehouse ?? ''} TO ROLE ${String(current.ROLE)}`],
    ['database', config.database, current.DATABASE, `it does not exist, or the role has no USAGE on it: GRANT USAGE ON DATABASE ${config.database ?? ''} TO ROLE ${String(current.ROLE)}`],
    ['schema', config.schema, current.SCHEMA, `it does not exist, or the role has no USAGE on it: GRANT USAGE ON SCHEMA ${config.database ?? '<database>'}.${config.schema ?? ''} TO ROLE ${String(current.ROLE)}`]
  ]
  if (role && !same(role, current.ROLE)) problem(`${label} role`, `the session runs as ${String(current.ROLE)}, not ${role}`, `grant it: GRANT ROLE ${role} TO USER ${config.user}`)
  else ok(`${label} role`, String(current.ROLE))
  for (const [what, configured, now, fix] of expected) {
    if (!configured) {
      if (what === 'warehouse') problem(`${label} warehouse`, 'none is set, and actions need one to run', 'set SNOWFLAKE_WAREHOUSE (or the user\'s DEFAULT_WAREHOUSE)')
      continue
    }
    if (same(configured, now)) ok(`${label} ${what}`, String(now))
    else problem(`${label} ${what}`, `${configured} is not in use (${now === null ? 'none is' : `${String(now)} is`})`, fix)
  }
}

/** Example variables from the action's own input schema, coerced as a Studio request's would be; the rest null. */
function exampleBinds (action: Action): Bind[] {
  const variables: Record<string, unknown> = {}
  const examples = Array.isArray(action.input.examples) ? action.input.examples[0] : undefined
  for (const [name, schema] of Object.entries((action.input.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    const offered = Array.isArray(schema.examples) ? schema.examples[0] : schema.default ?? schema.const ?? (Array.isArray(schema.enum) ? schema.enum[0] : undefined)
    if (offered !== undefined) variables[name] = offered
  }
  if (examples !== null && typeof examples === 'object') Object.assign(variables, examples)
  action.validateInput(variables)
  return bindVariables(action, variables)
}

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.log(err.message)
    problem('configuration', 'the gateway would not start with this environment', 'fix the variables named above (README, "Configuration")')
    return
  }
  const snowflakeConfig = config.snowflake
  if (!snowflakeConfig) {
    problem('configuration', 'SNOWFLAKE_ACCOUNT is not set: the gateway would use its embedded emulator', 'set the Snowflake variables of .env.example (docs/snowflake.md)')
    return
  }
  ok('configuration', `account ${snowflakeConfig.account}, user ${snowflakeConfig.user}, ${snowflakeConfig.authenticator}`)
  configureDriver(pino({ level: 'silent' }))

  const { actions, problems: bad } = await checkActions(config.actionsDir)
  for (const file of bad) problem('action file', file.message, `npm run actions:check ${config.actionsDir}`)
  if (bad.length === 0) ok('action files', `${actions.size} in ${config.actionsDir}`)

  // One session per role/warehouse the actions run as, as the gateway's pools are.
  const targets = new Map<string, { target: Target, actions: Action[] }>([['/', { target: {}, actions: [] }]])
  for (const action of actions.values()) {
    const target = { role: action.role, warehouse: action.warehouse }
    const key = `${target.role ?? ''}/${target.warehouse ?? ''}`
    const entry = targets.get(key) ?? { target, actions: [] }
    entry.actions.push(action)
    targets.set(key, entry)
  }
  for (const [key, { target, actions: theirs }] of targets) {
    const label = key === '/' ? 'session' : `session ${key}`
    let connection: Connection
    try {
      connection = await connect(snowflakeConfig, target)
      ok(`login${key === '/' ? '' : ` as ${key}`}`, `${snowflakeConfig.user} at ${snowflakeConfig.accessUrl ?? snowflakeConfig.account}`)
    } catch (err) {
      problem(`login${key === '/' ? '' : ` as ${key}`}`, said(err), loginFix(err, snowflakeConfig, target))
      continue
    }
    try {
      await checkSession(connection, snowflakeConfig, target, label)
      for (const action of theirs) {
        // describeOnly: Snowflake compiles the statement (names, grants, types) without running it.
        await query(connection, action.statement.sql, exampleBinds(action), true).then(
          () => { ok(`action ${action.id}`, 'its SQL compiles') },
          (err: unknown) => {
            const fix = /does not exist or not authorized/i.test(said(err))
              ? `fix the name, or grant the role SELECT on it (GRANT SELECT ON ... TO ROLE ${target.role ?? snowflakeConfig.role ?? '<role>'})`
              : `fix the SQL in ${action.file}`
            problem(`action ${action.id}`, `its SQL does not compile: ${said(err)}`, fix)
          })
      }
      if (key === '/') await checkHistory(connection)
    } finally {
      await new Promise<void>((resolve) => connection.destroy(() => resolve()))
    }
  }
}

/** The two reads of a statement's cost the gateway makes: on its own session, and account-wide for other replicas'. */
async function checkHistory (connection: Connection): Promise<void> {
  const { queryId } = await query(connection, 'SELECT 1 AS ONE')
  for (const source of ['QUERY_HISTORY_BY_SESSION()', 'QUERY_HISTORY()']) {
    const what = `query history ${source}`
    try {
      const { rows } = await query(connection, `SELECT QUERY_ID FROM TABLE(INFORMATION_SCHEMA.${source}) WHERE QUERY_ID = ?`, [queryId])
      if (rows.length === 1) ok(what, 'readable: costs are reported')
      else problem(what, `the session's own statement ${queryId} is not in it`, 'check that SNOWFLAKE_DATABASE is set (INFORMATION_SCHEMA is a database\'s) and docs/snowflake.md, "Query history"')
    } catch (err) {
      problem(what, `not readable: ${said(err)}`, 'set SNOWFLAKE_DATABASE (INFORMATION_SCHEMA is a database\'s); costs are then not reported (docs/snowflake.md, "Query history")')
    }
  }
}

await main().catch((err: unknown) => { problem('doctor', `stopped: ${said(err)}`) })
console.log(problems === 0 ? '\nAll checks passed.' : `\n${problems} problem(s).`)
process.exitCode = problems === 0 ? 0 : 1
