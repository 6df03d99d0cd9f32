// `pnpm --filter @switchyard/aws synth` (or `cdk synth` with app "npx tsx bin/app.ts"): builds
// the CloudFormation template offline. Parameters come from CDK context, e.g.
//   cdk synth -c certificateArn=arn:aws:acm:… -c imageTag=1.4.2 -c params='{"gateway":{"maxTasks":20}}'
import { App } from 'aws-cdk-lib'
import { resolveParams, type ParamOverrides } from '../src/params.js'
import { SwitchyardStack } from '../src/switchyard-stack.js'

const app = new App()
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key)
  return typeof value === 'string' ? value : undefined
}
const overrides = JSON.parse(context('params') ?? '{}') as ParamOverrides
const params = resolveParams({
  ...overrides,
  ...(context('certificateArn') !== undefined ? { certificateArn: context('certificateArn') } : {}),
  ...(context('imageTag') !== undefined ? { imageTag: context('imageTag') } : {})
})
new SwitchyardStack(app, `${params.name}`, params) // eslint-disable-line no-new
app.synth()
