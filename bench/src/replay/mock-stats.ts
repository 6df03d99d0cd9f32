import type { MockStatsBody } from '@switchyard/mock-provider'
import { Client } from 'undici'

/**
 * Reads a separate-process mock's counters (GET /__mock/stats, served with
 * MOCK_PROVIDER_DIRECTIVES=true) over one client of its own, whose own connections are counted
 * here so they can be taken off the mock's figure: what is left was opened by the router.
 */
export class MockStatsReader {
  readonly #client: Client
  #ownConnections = 0

  constructor (mockUrl: string) {
    this.#client = new Client(mockUrl, { keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 })
    this.#client.on('connect', () => { this.#ownConnections++ })
  }

  async #call (method: 'GET' | 'POST', path: string): Promise<MockStatsBody & { ownConnections: number }> {
    const res = await this.#client.request({ method, path })
    if (res.statusCode !== 200) throw new Error(`mock ${path}: HTTP ${res.statusCode} (started without MOCK_PROVIDER_DIRECTIVES?)`)
    const body = await res.body.json() as MockStatsBody
    return { ...body, ownConnections: this.#ownConnections }
  }

  async read (): Promise<MockStatsBody & { ownConnections: number }> {
    return await this.#call('GET', '/__mock/stats')
  }

  /** Starts a phase: the peak of open connections restarts from those open now. */
  async resetPeak (): Promise<MockStatsBody & { ownConnections: number }> {
    return await this.#call('POST', '/__mock/stats/reset-peak')
  }

  async close (): Promise<void> {
    await this.#client.close()
  }
}
