import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { resolveParams, type ParamOverrides } from '../src/params.js'
import { SwitchyardStack } from '../src/switchyard-stack.js'

export const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000'

/** Synthesizes the stack offline (no AWS account, no network) and returns its template. */
export function synth (overrides: ParamOverrides = {}): Template {
  const app = new App()
  const stack = new SwitchyardStack(app, 'switchyard', resolveParams({ certificateArn: CERT, ...overrides }), {
    env: { account: '123456789012', region: 'eu-west-1' }
  })
  return Template.fromStack(stack)
}

type Resources = Record<string, { Type: string, Properties?: Record<string, unknown> }>

export function resourcesOf (template: Template, type: string): Resources {
  return template.findResources(type) as Resources
}

/** The container definition of one app (by container name) in the synthesized template. */
export function container (template: Template, name: string): Record<string, unknown> {
  for (const def of Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition'))) {
    const containers = def.Properties?.['ContainerDefinitions'] as Array<Record<string, unknown>>
    const found = containers.find((c) => c['Name'] === name)
    if (found !== undefined) return found
  }
  throw new Error(`no container ${name}`)
}

export function envOf (c: Record<string, unknown>): Record<string, unknown> {
  const env = (c['Environment'] ?? []) as Array<{ Name: string, Value: unknown }>
  return Object.fromEntries(env.map((e) => [e.Name, e.Value]))
}

export function secretNamesOf (c: Record<string, unknown>): string[] {
  return ((c['Secrets'] ?? []) as Array<{ Name: string }>).map((s) => s.Name)
}
