import t from 'tap'
import { runCases } from './cases.js'
import { cases, fixture } from './table/dates.js'

runCases(t, 'dates and times', cases, fixture)
