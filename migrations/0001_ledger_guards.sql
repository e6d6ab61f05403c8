-- Database-side guards for the ledger. The application checks these rules too; the database makes
-- them true even for code that forgets, and for anyone with a SQL prompt who is not a superuser.

-- Append-only: journal transactions, entries, seals and the audit trail are never updated or deleted.
-- Corrections are new, linked transactions.
CREATE FUNCTION pintu_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'post a new, linked correcting transaction instead';
END $$;
--> statement-breakpoint
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER journal_transactions_append_only BEFORE UPDATE OR DELETE ON journal_transactions
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER journal_transactions_no_truncate BEFORE TRUNCATE ON journal_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER journal_seals_append_only BEFORE UPDATE OR DELETE ON journal_seals
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER journal_seals_no_truncate BEFORE TRUNCATE ON journal_seals
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint
CREATE TRIGGER account_balances_no_delete BEFORE DELETE ON account_balances
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint

-- Every journal transaction balances in every book it touches and has at least two entries.
-- A transaction's entries are inserted by one statement, so a statement-level check sees them all.
CREATE FUNCTION pintu_check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT tx_id, book_id INTO bad FROM new_entries GROUP BY tx_id, book_id
   HAVING sum(CASE WHEN side = 'D' THEN amount ELSE -amount END) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal transaction % does not balance in book %', bad.tx_id, bad.book_id USING ERRCODE = 'P0001';
  END IF;
  SELECT tx_id INTO bad FROM new_entries GROUP BY tx_id HAVING count(*) < 2 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal transaction % has fewer than two entries', bad.tx_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER entries_balanced AFTER INSERT ON entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION pintu_check_entries_balanced();
--> statement-breakpoint

-- An entry's book is its account's book.
CREATE UNIQUE INDEX accounts_id_book ON accounts (id, book_id);
--> statement-breakpoint
ALTER TABLE entries ADD CONSTRAINT entries_account_book_fk FOREIGN KEY (account_id, book_id) REFERENCES accounts (id, book_id);
--> statement-breakpoint
-- A balance row carries its account's non-negative flag (the CHECK on account_balances reads it).
CREATE FUNCTION pintu_balance_flag_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.non_negative IS DISTINCT FROM (SELECT non_negative FROM accounts WHERE id = NEW.account_id) THEN
    RAISE EXCEPTION 'balance row flag differs from account %', NEW.account_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER account_balances_flag BEFORE INSERT ON account_balances
  FOR EACH ROW EXECUTE FUNCTION pintu_balance_flag_matches();
--> statement-breakpoint
CREATE TRIGGER account_balances_flag_fixed BEFORE UPDATE OF non_negative, account_id, bucket ON account_balances
  FOR EACH ROW EXECUTE FUNCTION pintu_reject_change();
--> statement-breakpoint

-- The content of one journal transaction as seen by one book, digested. The sealer chains these
-- digests per book (hash = sha256(prev_hash || digest)); `ledger verify` recomputes them, so an entry
-- edited behind the trigger's back no longer matches its seal.
CREATE FUNCTION pintu_tx_digest(p_tx bigint, p_book bigint) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to(
    t.id::text || '|' || t.kind || '|' || coalesce(t.payment_id::text, '') || '|' ||
    coalesce(t.reverses_tx_id::text, '') || '|' ||
    ((extract(epoch FROM t.created_at) * 1000000)::bigint)::text || '|' || coalesce(t.memo, '') || '|' ||
    coalesce((SELECT string_agg(e.id::text || ':' || e.account_id::text || ':' || e.side || ':' || e.amount::text, ','
                                ORDER BY e.id)
              FROM entries e WHERE e.tx_id = t.id AND e.book_id = p_book), ''),
    'UTF8'))
  FROM journal_transactions t WHERE t.id = p_tx
$$;
