import { aws_secretsmanager as sm, aws_ssm as ssm } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { SwitchyardParams } from './params.js'

const envToSecretName = (env: string) => env.toLowerCase().replace(/_/g, '-')

/**
 * Every secret lives in Secrets Manager under `<name>/` (CloudFormation cannot create SSM
 * SecureString parameters), and tasks receive them as container secrets, never as plain
 * environment values in the task definition. Tokens are generated; provider keys are created
 * with a placeholder the operator replaces (see infra/README.md, "Rotating a provider key").
 */
export class Secrets extends Construct {
  readonly prefix: string
  readonly adminToken: sm.Secret
  readonly internalToken: sm.Secret
  readonly healthToken: sm.Secret
  readonly providerKeys: Map<string, sm.Secret>
  readonly routes: ssm.StringParameter

  constructor (scope: Construct, id: string, p: SwitchyardParams) {
    super(scope, id)
    this.prefix = `${p.name}/`
    const token = (cid: string, name: string, description: string) => new sm.Secret(this, cid, {
      secretName: `${this.prefix}${name}`,
      description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true }
    })
    this.adminToken = token('AdminToken', 'admin-token', 'ADMIN_TOKEN: the gateway admin API')
    this.internalToken = token('InternalToken', 'internal-token', 'INTERNAL_TOKEN: gateway to proxy-router')
    // Least privilege for the health service: read-only internal routes only (docs/adr/0025).
    this.healthToken = token('HealthToken', 'health-token', 'HEALTH_TOKEN: health to the read-only internal routes of gateway and proxy-router')
    this.providerKeys = new Map(p.providerKeyEnvs.map((env) => [env, new sm.Secret(this, `Provider${env}`, {
      secretName: `${this.prefix}providers/${envToSecretName(env)}`,
      description: `${env}: a provider key the routing table names; replace the placeholder`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true }
    })]))
    // The routing table holds no secrets (it names the key variables), so a plain parameter.
    this.routes = new ssm.StringParameter(this, 'Routes', {
      parameterName: `/${p.name}/routes`,
      description: 'proxy-router routing table (ROUTES_JSON)',
      stringValue: p.routesJson,
      tier: p.routesJson.length > 4096 ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD
    })
  }
}
