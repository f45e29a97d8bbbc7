// A child's resident memory from /proc (Linux): the current RSS, and the kernel's high-water mark, which can be
// reset so one stream's peak is measured alone in a process that already ran others.
import { readFile, writeFile } from 'node:fs/promises'

async function statusMb (pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no ${field}`)
  return Math.round(Number(kb) / 1024)
}

export async function rssMb (pid: number): Promise<number> {
  return await statusMb(pid, 'VmRSS')
}

export async function peakRssMbOf (pid: number): Promise<number> {
  return await statusMb(pid, 'VmHWM')
}

/** From now on the peak is the current RSS and what comes after (clear_refs 5, Linux 4.0+). */
export async function resetPeakRss (pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5')
}
