CREATE TABLE "office_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role" text NOT NULL,
	"username" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"region" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "ledger_checkpoints" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_checkpoints_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"book_id" bigint NOT NULL,
	"koperasi_id" uuid,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"seq" bigint NOT NULL,
	"tx_id" bigint,
	"head_hash" "bytea" NOT NULL,
	"entry_count" bigint NOT NULL,
	"balances" jsonb NOT NULL,
	"key_id" text NOT NULL,
	"payload" text NOT NULL,
	"signature" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_verifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_verifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"ok" boolean NOT NULL,
	"failed_checks" jsonb NOT NULL,
	"checkpoints_checked" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "koperasi" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "ledger_checkpoints" ADD CONSTRAINT "ledger_checkpoints_book_id_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_checkpoints_daily" ON "ledger_checkpoints" USING btree ("book_id","day") WHERE "ledger_checkpoints"."kind" = 'daily';--> statement-breakpoint
CREATE INDEX "ledger_checkpoints_koperasi" ON "ledger_checkpoints" USING btree ("koperasi_id","day");--> statement-breakpoint
-- Signed checkpoints and the record of verifications are history: never updated, deleted or truncated.
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_verifications_append_only BEFORE UPDATE OR DELETE ON ledger_verifications
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_verifications_no_truncate BEFORE TRUNCATE ON ledger_verifications
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
ALTER TABLE office_users ADD CONSTRAINT office_users_role CHECK (role IN ('operator', 'supervisor'));
--> statement-breakpoint
ALTER TABLE office_users ADD CONSTRAINT office_users_supervisor_region CHECK (role <> 'supervisor' OR region IS NOT NULL);
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN ('treasurer', 'member', 'pengawas'));
--> statement-breakpoint
CREATE INDEX koperasi_region ON koperasi (region);
