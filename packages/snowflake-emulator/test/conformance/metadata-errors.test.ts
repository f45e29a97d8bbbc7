import t from 'tap'
import { runCases } from './cases.js'
import { cases, fixture } from './table/metadata-errors.js'

runCases(t, 'metadata, errors and the warehouse', cases, fixture)
