CREATE UNIQUE INDEX "journal_transactions_one_deposit_correction" ON "journal_transactions" USING btree ("reverses_tx_id") WHERE "journal_transactions"."kind" = 'deposit_correction';
