ALTER TABLE "outbox" ADD COLUMN "notice_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "review_reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "review_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "payments_review" ON "payments" USING btree ("koperasi_id","review_since") WHERE "payments"."review_reason" is not null;