CREATE TABLE "account_balances" (
	"account_id" bigint NOT NULL,
	"bucket" smallint NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"non_negative" boolean NOT NULL,
	CONSTRAINT "account_balances_account_id_bucket_pk" PRIMARY KEY("account_id","bucket"),
	CONSTRAINT "account_balances_non_negative" CHECK (not "account_balances"."non_negative" or "account_balances"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"book_id" bigint NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"buckets" smallint DEFAULT 1 NOT NULL,
	"non_negative" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_buckets_range" CHECK ("accounts"."buckets" between 1 and 256),
	CONSTRAINT "accounts_non_negative_single_bucket" CHECK (not "accounts"."non_negative" or "accounts"."buckets" = 1)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"koperasi_id" uuid,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "books" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "books_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"koperasi_id" uuid,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_deliveries" (
	"adapter" text NOT NULL,
	"delivery_id" text NOT NULL,
	"ref_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "callback_deliveries_adapter_delivery_id_pk" PRIMARY KEY("adapter","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tx_id" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"book_id" bigint NOT NULL,
	"side" text NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "entries_amount_positive" CHECK ("entries"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "fees" (
	"koperasi_id" uuid NOT NULL,
	"product" text NOT NULL,
	"amount" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "fees_koperasi_id_product_pk" PRIMARY KEY("koperasi_id","product"),
	CONSTRAINT "fees_amount_nonnegative" CHECK ("fees"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "holds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"book_id" bigint NOT NULL,
	"debit_account_id" bigint NOT NULL,
	"hold_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"hold_tx_id" bigint NOT NULL,
	"final_tx_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "holds_amount_positive" CHECK ("holds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "journal_seals" (
	"book_id" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"tx_id" bigint NOT NULL,
	"prev_hash" "bytea" NOT NULL,
	"hash" "bytea" NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_seals_book_id_seq_pk" PRIMARY KEY("book_id","seq")
);
--> statement-breakpoint
CREATE TABLE "journal_transactions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "journal_transactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"payment_id" uuid,
	"reverses_tx_id" bigint,
	"memo" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "koperasi" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "koperasi_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"payment_id" uuid PRIMARY KEY NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payment_attempts" (
	"payment_id" uuid NOT NULL,
	"attempt_no" smallint NOT NULL,
	"adapter" text NOT NULL,
	"sku" text NOT NULL,
	"ref_id" text NOT NULL,
	"upstream_handle" text,
	"state" text NOT NULL,
	"rc" text,
	"message" text,
	"price" bigint,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "payment_attempts_payment_id_attempt_no_pk" PRIMARY KEY("payment_id","attempt_no")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
	"product" text NOT NULL,
	"customer_no" text NOT NULL,
	"customer_name" text NOT NULL,
	"periods" jsonb NOT NULL,
	"months" smallint,
	"denomination" bigint,
	"bill_amount" bigint NOT NULL,
	"penalty" bigint NOT NULL,
	"admin_fee" bigint NOT NULL,
	"koperasi_fee" bigint NOT NULL,
	"price" bigint NOT NULL,
	"total" bigint NOT NULL,
	"status" text NOT NULL,
	"hold_id" bigint NOT NULL,
	"adapter" text NOT NULL,
	"ref_id" text NOT NULL,
	"upstream_ref" text,
	"token" text,
	"failure_code" text,
	"failure_message" text,
	"suspect_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"product" text NOT NULL,
	"customer_no" text NOT NULL,
	"adapter" text NOT NULL,
	"sku" text NOT NULL,
	"ref_id" text NOT NULL,
	"upstream_handle" text,
	"customer_name" text NOT NULL,
	"periods" jsonb NOT NULL,
	"details" jsonb NOT NULL,
	"months" smallint,
	"denomination" bigint,
	"bill_amount" bigint NOT NULL,
	"penalty" bigint NOT NULL,
	"admin_fee" bigint NOT NULL,
	"koperasi_fee" bigint NOT NULL,
	"price" bigint NOT NULL,
	"total" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recon_items" (
	"run_id" uuid NOT NULL,
	"ref_id" text NOT NULL,
	"payment_id" uuid,
	"koperasi_id" uuid,
	"class" text NOT NULL,
	"our_status" text,
	"upstream_status" text,
	"our_amount" bigint,
	"upstream_amount" bigint,
	"our_price" bigint,
	"upstream_price" bigint,
	"action" text NOT NULL,
	"note" text,
	CONSTRAINT "recon_items_run_id_ref_id_pk" PRIMARY KEY("run_id","ref_id")
);
--> statement-breakpoint
CREATE TABLE "recon_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"adapter" text NOT NULL,
	"settlement_date" text NOT NULL,
	"file_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "settlement_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"adapter" text NOT NULL,
	"settlement_date" text NOT NULL,
	"sha256" text NOT NULL,
	"source" text NOT NULL,
	"row_count" integer NOT NULL,
	"total_amount" bigint NOT NULL,
	"total_price" bigint NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settlement_rows" (
	"file_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"ref_id" text NOT NULL,
	"trx_time" timestamp with time zone NOT NULL,
	"final_time" timestamp with time zone NOT NULL,
	"biller_trx_id" text NOT NULL,
	"product_code" text NOT NULL,
	"customer_no" text NOT NULL,
	"total_amount" bigint NOT NULL,
	"price" bigint NOT NULL,
	"commission" bigint NOT NULL,
	"status" text NOT NULL,
	"rc" text NOT NULL,
	"sn_or_token" text NOT NULL,
	CONSTRAINT "settlement_rows_file_id_ref_id_pk" PRIMARY KEY("file_id","ref_id")
);
--> statement-breakpoint
CREATE TABLE "unsealed" (
	"tx_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"role" text NOT NULL,
	"username" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"password_hash" text NOT NULL,
	"pin_hash" text,
	"pin_failures" integer DEFAULT 0 NOT NULL,
	"pin_locked_at" timestamp with time zone,
	"savings_account_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_balances" ADD CONSTRAINT "account_balances_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_book_id_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "books" ADD CONSTRAINT "books_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_tx_id_journal_transactions_id_fk" FOREIGN KEY ("tx_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fees" ADD CONSTRAINT "fees_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_book_code" ON "accounts" USING btree ("book_id","code");--> statement-breakpoint
CREATE INDEX "audit_log_subject" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_log_koperasi" ON "audit_log" USING btree ("koperasi_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "books_koperasi" ON "books" USING btree ("koperasi_id");--> statement-breakpoint
CREATE UNIQUE INDEX "books_single_platform" ON "books" USING btree ("kind") WHERE "books"."kind" = 'platform';--> statement-breakpoint
CREATE INDEX "entries_tx" ON "entries" USING btree ("tx_id");--> statement-breakpoint
CREATE INDEX "entries_account" ON "entries" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "holds_pending_account" ON "holds" USING btree ("debit_account_id") WHERE "holds"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "journal_seals_book_tx" ON "journal_seals" USING btree ("book_id","tx_id");--> statement-breakpoint
CREATE INDEX "journal_transactions_payment" ON "journal_transactions" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_attempts_ref" ON "payment_attempts" USING btree ("adapter","ref_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_quote" ON "payments" USING btree ("quote_id");--> statement-breakpoint
CREATE INDEX "payments_member_created" ON "payments" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_koperasi_created" ON "payments" USING btree ("koperasi_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_open" ON "payments" USING btree ("status") WHERE "payments"."status" in ('processing', 'suspect');--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_adapter_ref" ON "quotes" USING btree ("adapter","ref_id");--> statement-breakpoint
CREATE INDEX "quotes_member" ON "quotes" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "recon_items_payment" ON "recon_items" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "recon_items_koperasi" ON "recon_items" USING btree ("koperasi_id","class");--> statement-breakpoint
CREATE INDEX "recon_runs_day" ON "recon_runs" USING btree ("adapter","settlement_date","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_files_version" ON "settlement_files" USING btree ("adapter","settlement_date","sha256");--> statement-breakpoint
CREATE INDEX "settlement_files_day" ON "settlement_files" USING btree ("adapter","settlement_date","ingested_at");--> statement-breakpoint
CREATE INDEX "settlement_rows_ref" ON "settlement_rows" USING btree ("ref_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_koperasi_username" ON "users" USING btree ("koperasi_id","username");