import type { Database } from '@switchyard/db'
import type { NewUsageEvent } from '@switchyard/db/schema'
import { sql } from 'drizzle-orm'

/**
 * Writes a batch of usage events as ONE statement whose text never changes: the batch goes as a
 * single JSON parameter, one `JSON.stringify` of the rows as they are (camelCase keys, dates as
 * ISO strings, attempts as nested JSON), turned back into rows by `json_to_recordset`. The
 * statement is prepared once per connection whatever the batch size, where a multi-row VALUES
 * insert builds a new statement (and `rows × columns` parameters) per batch size; and
 * stringifying in one native call costs the gateway a fraction of what building one escaped
 * array literal per column did (bench/README.md). Keys a row lacks read as NULL and take
 * the column's default through the coalesces.
 * `ON CONFLICT (request_id) DO NOTHING` keeps retried batches exactly-once (docs/adr/0018).
 * Text must be well formed: JSON.stringify writes a lone surrogate as an escape Postgres refuses
 * (as it refuses NUL), which fails the batch; accounting passes every client string through
 * sanitize.ts first.
 */
export async function insertUsageRows (db: Database, rows: readonly NewUsageEvent[]): Promise<void> {
  if (rows.length === 0) return
  await db.execute(sql`
    insert into usage_events (api_key_id, user_id, request_id, correlation_id, endpoint, model, provider, deployment,
      prompt_tokens, completion_tokens, total_tokens, estimated, status_code, error_code, streamed, latency_ms, ttfb_ms,
      attempts, created_at)
    select "apiKeyId", "userId", "requestId", "correlationId", coalesce(endpoint, 'chat.completions'), model, provider, deployment,
      coalesce("promptTokens", 0), coalesce("completionTokens", 0), coalesce("totalTokens", 0), coalesce(estimated, false),
      "statusCode", "errorCode", coalesce(streamed, false), "latencyMs", "ttfbMs", attempts, coalesce("createdAt", now())
    from json_to_recordset(${JSON.stringify(rows)}::json) as t("apiKeyId" uuid, "userId" uuid, "requestId" text,
      "correlationId" text, endpoint text, model text, provider text, deployment text, "promptTokens" int4,
      "completionTokens" int4, "totalTokens" int4, estimated bool, "statusCode" int4, "errorCode" text, streamed bool,
      "latencyMs" int4, "ttfbMs" int4, attempts jsonb, "createdAt" timestamptz)
    on conflict (request_id) do nothing`)
}
