import t from 'tap'
import { runCases } from './cases.js'
import { cases, fixture } from './table/functions.js'

runCases(t, 'scalar functions', cases, fixture)
