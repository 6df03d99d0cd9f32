import { anthropicAdapter } from './anthropic/index.js'
import { openaiAdapter } from './openai/index.js'
import type { ProviderAdapter } from './types.js'

/** Routing-table `type` → adapter. Adding a provider = a folder under providers/ + one line here. */
const adapters = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter
} as const satisfies Record<string, ProviderAdapter>

export type ProviderType = keyof typeof adapters

export const providerTypes = Object.keys(adapters) as ProviderType[]

export function isProviderType (value: string): value is ProviderType {
  return Object.hasOwn(adapters, value)
}

export function adapterFor (type: ProviderType): ProviderAdapter {
  return adapters[type]
}
