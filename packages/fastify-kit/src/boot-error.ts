import { ConfigError } from '@switchyard/config'

export interface ListenTarget {
  host: string
  port: number
  /** The variable that sets the port, named in the advice (PORT, MOCK_PROVIDER_PORT). */
  portSetting?: string
}

/**
 * Why a service could not start, as one line for stderr: the setting at fault and what is wrong
 * with it. Configuration problems and the usual listen failures are described in words; anything
 * else is a bug, and returns undefined so the caller prints the stack trace first.
 */
export function describeBootError (err: unknown, target?: ListenTarget): string | undefined {
  if (err instanceof ConfigError) return err.message
  if (target === undefined) return undefined
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const where = `${target.host}:${target.port}`
  const setting = target.portSetting ?? 'PORT'
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is already in use (EADDRINUSE); stop whatever holds it or set ${setting} to a free port`
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (EACCES); ports below 1024 need privileges, set ${setting} to 1024 or above`
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: HOST is not an address of this machine (EADDRNOTAVAIL)`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${where}: HOST does not resolve (${code})`
    default:
      return undefined
  }
}

/**
 * Prints why the boot failed — the last line on stderr is always `<service>: <reason>` — and
 * exits 1. Unexpected errors get their stack trace first, because they are bugs to report.
 */
export function exitOnBootError (service: string, err: unknown, target?: ListenTarget): never {
  const reason = describeBootError(err, target)
  if (reason === undefined) {
    console.error(err)
    console.error(`${service}: failed to start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
  } else {
    console.error(`${service}: ${reason}`)
  }
  process.exit(1)
}
