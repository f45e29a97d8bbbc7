import t from 'tap'
import { runCases } from './cases.js'
import { cases, fixture } from './table/statements.js'

runCases(t, 'statements and session', cases, fixture)
