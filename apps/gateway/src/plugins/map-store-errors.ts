import { SwitchyardError } from '@switchyard/errors'

/**
 * With RATE_LIMIT_FAIL_OPEN=false, @fastify/rate-limit rethrows the Redis client's own error.
 * Name it for what it is instead of letting it become a bare INTERNAL_ERROR.
 */
export function mapStoreErrors (err: unknown): SwitchyardError | undefined {
  const name = (err as { name?: string }).name ?? ''
  const message = (err as { message?: string }).message ?? ''
  if (name === 'MaxRetriesPerRequestError' || /Stream isn't writeable|Connection is closed|ECONNREFUSED.*6379|enableOfflineQueue/i.test(message)) {
    return new SwitchyardError('RATE_LIMIT_STORE_UNAVAILABLE', { cause: err })
  }
  return undefined
}
