import t from 'tap'
import { runCases } from './cases.js'
import { cases, fixture } from './table/semistructured.js'

runCases(t, 'semi-structured data', cases, fixture)
