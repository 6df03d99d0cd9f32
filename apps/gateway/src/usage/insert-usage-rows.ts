import type { Database } from '@switchyard/db'
import type { NewUsageEvent } from '@switchyard/db/schema'
import { sql } from 'drizzle-orm'
import { pgArrayLiteral } from './pg-array-literal.js'

/**
 * Writes a batch of usage events as ONE statement whose text never changes: one array per
 * column, `unnest`ed back into rows. The statement is prepared once per connection and each
 * batch sends 19 parameters (array literals, see pgArrayLiteral) whatever its size, where a multi-row VALUES insert builds a new
 * statement (and `rows × columns` parameters) per batch size: the query builder's work was a
 * measurable share of the gateway's CPU per request (docs/performance.md).
 * `ON CONFLICT (request_id) DO NOTHING` keeps retried batches exactly-once (docs/adr/0018).
 */
export async function insertUsageRows (db: Database, rows: readonly NewUsageEvent[]): Promise<void> {
  if (rows.length === 0) return
  const col = (read: (row: NewUsageEvent) => string | number | boolean | Date | null | undefined): string => pgArrayLiteral(rows.map(read))
  await db.execute(sql`
    insert into usage_events (api_key_id, user_id, request_id, correlation_id, endpoint, model, provider, deployment,
      prompt_tokens, completion_tokens, total_tokens, estimated, status_code, error_code, streamed, latency_ms, ttfb_ms,
      attempts, created_at)
    select api_key_id, user_id, request_id, correlation_id, coalesce(endpoint, 'chat.completions'), model, provider, deployment,
      coalesce(prompt_tokens, 0), coalesce(completion_tokens, 0), coalesce(total_tokens, 0), coalesce(estimated, false),
      status_code, error_code, coalesce(streamed, false), latency_ms, ttfb_ms, attempts::jsonb, coalesce(created_at, now())
    from unnest(
      ${col((r) => r.apiKeyId)}::uuid[], ${col((r) => r.userId ?? null)}::uuid[], ${col((r) => r.requestId)}::text[],
      ${col((r) => r.correlationId ?? null)}::text[], ${col((r) => r.endpoint ?? null)}::text[], ${col((r) => r.model)}::text[],
      ${col((r) => r.provider ?? null)}::text[], ${col((r) => r.deployment ?? null)}::text[],
      ${col((r) => r.promptTokens ?? null)}::int4[], ${col((r) => r.completionTokens ?? null)}::int4[], ${col((r) => r.totalTokens ?? null)}::int4[],
      ${col((r) => r.estimated ?? null)}::bool[], ${col((r) => r.statusCode)}::int4[], ${col((r) => r.errorCode ?? null)}::text[],
      ${col((r) => r.streamed ?? null)}::bool[], ${col((r) => r.latencyMs)}::int4[], ${col((r) => r.ttfbMs ?? null)}::int4[],
      ${col((r) => r.attempts == null ? null : JSON.stringify(r.attempts))}::text[], ${col((r) => r.createdAt ?? null)}::timestamptz[]
    ) as t(api_key_id, user_id, request_id, correlation_id, endpoint, model, provider, deployment,
      prompt_tokens, completion_tokens, total_tokens, estimated, status_code, error_code, streamed, latency_ms, ttfb_ms,
      attempts, created_at)
    on conflict (request_id) do nothing`)
}
