import type { Ajv, FormatDefinition } from 'ajv'

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const ZERO = 48

const digit = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at) - ZERO
  return c >= 0 && c <= 9
}
const two = (text: string, at: number): number => (text.charCodeAt(at) - ZERO) * 10 + text.charCodeAt(at + 1) - ZERO
const digits = (text: string, at: number, n: number): boolean => {
  for (let i = at; i < at + n; i++) if (!digit(text, i)) return false
  return true
}

/**
 * True only for a date-time in the shape the gateway writes (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, capital
 * T and Z) that is valid: a real calendar day, hours to 23, minutes and seconds to 59, an offset to ±23:59. For
 * these ajv-formats' check answers true too; for everything else it is asked.
 */
function surelyValid (text: string): boolean {
  const n = text.length
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false
  if (!digits(text, 0, 4) || !digits(text, 5, 2) || !digits(text, 8, 2) || !digits(text, 11, 2) || !digits(text, 14, 2) || !digits(text, 17, 2)) return false
  let at = 19
  if (text.charCodeAt(at) === 46) {
    at++
    const start = at
    while (at < n && digit(text, at)) at++
    if (at === start) return false
  }
  if (at === n - 1) {
    if (text.charCodeAt(at) !== 90) return false
  } else {
    const sign = text.charCodeAt(at)
    if (at !== n - 6 || (sign !== 43 && sign !== 45) || !digits(text, at + 1, 2) || text.charCodeAt(at + 3) !== 58 || !digits(text, at + 4, 2)) return false
    if (two(text, at + 1) > 23 || two(text, at + 4) > 59) return false
  }
  const year = (text.charCodeAt(0) - ZERO) * 1000 + (text.charCodeAt(1) - ZERO) * 100 + two(text, 2)
  const month = two(text, 5)
  const day = two(text, 8)
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month] as number)) return false
  return two(text, 11) <= 23 && two(text, 14) <= 59 && two(text, 17) <= 59
}

/**
 * Replaces ajv-formats' `date-time` check with one that answers the same, without its allocations for the strings
 * the gateway itself writes: it splits the text and runs two regular expressions per value, a fifth of what a
 * streamed row allocated. Anything not surely valid goes to the original, so leap seconds, lower-case letters,
 * offsets without a colon and every invalid value get exactly its answer.
 */
export function fastDateTime (ajv: Ajv): void {
  const original = ajv.formats['date-time'] as FormatDefinition<string> | undefined
  if (original === undefined || typeof original.validate !== 'function') throw new Error('ajv-formats did not add a date-time format')
  const validate = original.validate
  ajv.addFormat('date-time', { ...original, type: 'string', validate: (text: string) => surelyValid(text) || validate(text) })
}
