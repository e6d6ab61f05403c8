CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"member_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"subscription_id" uuid,
	"payment_id" uuid,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "subscription_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"period" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"detail" jsonb,
	"tries" integer DEFAULT 0 NOT NULL,
	"next_try_at" timestamp with time zone,
	"last_tried_at" timestamp with time zone,
	"payment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"product" text NOT NULL,
	"customer_no" text NOT NULL,
	"nickname" text NOT NULL,
	"months" smallint,
	"day_of_month" smallint NOT NULL,
	"max_amount" bigint NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_day" CHECK ("subscriptions"."day_of_month" BETWEEN 1 AND 31),
	CONSTRAINT "subscriptions_max_amount" CHECK ("subscriptions"."max_amount" > 0),
	CONSTRAINT "subscriptions_nickname_length" CHECK (char_length("subscriptions"."nickname") BETWEEN 1 AND 40)
);
--> statement-breakpoint
CREATE TABLE "counter_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"kasir_id" uuid NOT NULL,
	"drawer_account_id" bigint NOT NULL,
	"opening_float" bigint NOT NULL,
	"open_tx_id" bigint,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"expected" bigint,
	"counted" bigint,
	"difference" bigint,
	"close_note" text,
	"closed_by" uuid,
	"close_tx_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counter_shifts_float" CHECK ("counter_shifts"."opening_float" >= 0),
	CONSTRAINT "counter_shifts_closed_whole" CHECK (("counter_shifts"."closed_at" IS NULL) = ("counter_shifts"."counted" IS NULL) AND ("counter_shifts"."closed_at" IS NULL) = ("counter_shifts"."expected" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "member_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "quotes" ALTER COLUMN "member_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "channel" text DEFAULT 'app' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "funding" text DEFAULT 'savings' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "kasir_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "shift_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "subscription_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_name" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_phone" text;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "kasir_id" uuid;--> statement-breakpoint
ALTER TABLE "subscription_runs" ADD CONSTRAINT "subscription_runs_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_shifts" ADD CONSTRAINT "counter_shifts_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_shifts" ADD CONSTRAINT "counter_shifts_kasir_id_users_id_fk" FOREIGN KEY ("kasir_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("koperasi_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_member" ON "notifications" USING btree ("koperasi_id","member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_runs_period" ON "subscription_runs" USING btree ("subscription_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_runs_payment" ON "subscription_runs" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "subscription_runs_due" ON "subscription_runs" USING btree ("next_try_at") WHERE "subscription_runs"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "subscriptions_koperasi_member" ON "subscriptions" USING btree ("koperasi_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_one_live" ON "subscriptions" USING btree ("member_id","product","customer_no") WHERE "subscriptions"."status" <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX "counter_shifts_one_open" ON "counter_shifts" USING btree ("kasir_id") WHERE "counter_shifts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "counter_shifts_koperasi_opened" ON "counter_shifts" USING btree ("koperasi_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "journal_transactions_one_cash_return" ON "journal_transactions" USING btree ("payment_id") WHERE "journal_transactions"."kind" = 'counter_cash_return';--> statement-breakpoint
CREATE INDEX "payments_shift" ON "payments" USING btree ("shift_id") WHERE "payments"."shift_id" is not null;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_funding_payer" CHECK (("payments"."funding" = 'savings' AND "payments"."member_id" IS NOT NULL) OR ("payments"."funding" = 'cash' AND "payments"."shift_id" IS NOT NULL));--> statement-breakpoint
-- Hand-written (appended after drizzle-kit's output): the role and the payment's origin as the database enforces them.
ALTER TABLE "users" DROP CONSTRAINT "users_role";--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role" CHECK ("role" IN ('treasurer', 'member', 'pengawas', 'kasir'));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_channel" CHECK ("channel" IN ('app', 'autodebet', 'counter'));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_funding" CHECK ("funding" IN ('savings', 'cash'));--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_status" CHECK ("status" IN ('active', 'paused', 'cancelled'));--> statement-breakpoint
ALTER TABLE "subscription_runs" ADD CONSTRAINT "subscription_runs_status" CHECK ("status" IN ('pending', 'paid', 'skipped'));
