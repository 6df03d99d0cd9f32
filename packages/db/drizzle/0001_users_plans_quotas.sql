CREATE TABLE "auth_revision" (
	"id" integer PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_plan_id_plans_id_fk";
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_models" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "limit_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "correlation_id" text;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "endpoint" text DEFAULT 'chat.completions' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "deployment" text;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "estimated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "ttfb_ms" integer;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "attempts" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "limit_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- Request ids were not unique before (a client's x-request-id was reused): keep the oldest row of
-- each id as it is and suffix the others, so the unique index below can be built without losing a row.
UPDATE "usage_events" SET "request_id" = "request_id" || '#' || "id"
WHERE "id" NOT IN (SELECT min("id") FROM "usage_events" GROUP BY "request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_request_id_idx" ON "usage_events" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "usage_events_created_at_idx" ON "usage_events" USING btree ("created_at");--> statement-breakpoint
-- Seed plans. `default` has no limits, so keys that existed before plans keep working as before.
INSERT INTO "plans" ("id", "name", "monthly_token_quota", "requests_per_minute", "tokens_per_minute") VALUES
  ('00000000-0000-4000-8000-000000000001', 'default', NULL, NULL, NULL),
  (gen_random_uuid(), 'free', 10000, 20, 10000),
  (gen_random_uuid(), 'pro', 1000000, 600, 200000)
ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
INSERT INTO "users" ("id", "name", "plan_id") VALUES
  ('00000000-0000-4000-8000-000000000002', 'default', '00000000-0000-4000-8000-000000000001')
ON CONFLICT ("id") DO NOTHING;--> statement-breakpoint
-- Expand step: keys without a user belong to the default user. The column stays nullable until a
-- later (contract) migration, because tasks of the previous release may still insert such keys.
UPDATE "api_keys" SET "user_id" = '00000000-0000-4000-8000-000000000002' WHERE "user_id" IS NULL;--> statement-breakpoint
INSERT INTO "auth_revision" ("id", "revision") VALUES (1, 1) ON CONFLICT ("id") DO NOTHING;--> statement-breakpoint
-- Any change that authentication or limits depend on bumps the one revision row that every gateway
-- replica polls. Statement-level, so a bulk change is one bump; api_keys.last_used_at alone is not
-- such a change and does not fire it.
CREATE OR REPLACE FUNCTION "bump_auth_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "auth_revision" SET "revision" = "revision" + 1, "changed_at" = now() WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "plans_bump_auth_revision" AFTER INSERT OR UPDATE OR DELETE ON "plans"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_revision"();--> statement-breakpoint
CREATE TRIGGER "users_bump_auth_revision" AFTER INSERT OR UPDATE OR DELETE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_revision"();--> statement-breakpoint
CREATE TRIGGER "api_keys_bump_auth_revision" AFTER INSERT OR DELETE OR UPDATE OF "user_id", "revoked_at", "expires_at", "allowed_models", "limit_overrides", "key_hash" ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_revision"();
