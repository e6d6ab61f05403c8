CREATE TABLE "saved_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"koperasi_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"product" text NOT NULL,
	"customer_no" text NOT NULL,
	"nickname" text NOT NULL,
	"months" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_paid_at" timestamp with time zone,
	CONSTRAINT "saved_numbers_nickname_length" CHECK (char_length("saved_numbers"."nickname") BETWEEN 1 AND 40),
	CONSTRAINT "saved_numbers_months_range" CHECK ("saved_numbers"."months" IS NULL OR "saved_numbers"."months" BETWEEN 1 AND 24)
);
--> statement-breakpoint
ALTER TABLE "saved_numbers" ADD CONSTRAINT "saved_numbers_koperasi_id_koperasi_id_fk" FOREIGN KEY ("koperasi_id") REFERENCES "public"."koperasi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_numbers" ADD CONSTRAINT "saved_numbers_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_numbers_member_product_no" ON "saved_numbers" USING btree ("member_id","product","customer_no");--> statement-breakpoint
CREATE INDEX "saved_numbers_koperasi_member" ON "saved_numbers" USING btree ("koperasi_id","member_id");