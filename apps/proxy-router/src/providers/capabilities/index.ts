// Model capabilities: one table (table.ts), resolved per deployment at boot (resolve.ts), applied
// to each upstream body by the adapters (apply.ts). Pure; no imports from routing/.
export { applyCapabilities, samplingParams } from './apply.js'
export { resolveCapabilities } from './resolve.js'
export { StatedCapabilitiesSchema, type StatedCapabilities } from './schema.js'
export { capabilityTable, guessCapabilities, type MaxTokensParam, type ModelCapabilities } from './table.js'
