ALTER TABLE "payments" ADD COLUMN "review_reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "review_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "payments_review" ON "payments" USING btree ("koperasi_id","review_since") WHERE "payments"."review_reason" is not null;