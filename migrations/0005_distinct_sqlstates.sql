-- One SQLSTATE per database assertion, so the application tells them apart by code, never by message text
-- (src/db/assertions.ts is the table on the application's side). Class PN is Pintu's own.
--   PN001 a quote was claimed by another request     PN002 the member's PIN is locked
--   PN010 append-only table changed                   PN011 a journal transaction does not balance in a book
--   PN012 a journal transaction has fewer than two entries                PN013 a balance row's flag differs
CREATE FUNCTION pintu_assert(ok boolean, code text, message text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
  END IF;
  RETURN true;
END $$;
--> statement-breakpoint
DROP FUNCTION pintu_assert(boolean, text);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pintu_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'PN010', HINT = 'post a new, linked correcting transaction instead';
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pintu_check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT tx_id, book_id INTO bad FROM new_entries GROUP BY tx_id, book_id
   HAVING sum(CASE WHEN side = 'D' THEN amount ELSE -amount END) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal transaction % does not balance in book %', bad.tx_id, bad.book_id USING ERRCODE = 'PN011';
  END IF;
  SELECT tx_id INTO bad FROM new_entries GROUP BY tx_id HAVING count(*) < 2 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal transaction % has fewer than two entries', bad.tx_id USING ERRCODE = 'PN012';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pintu_balance_flag_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.non_negative IS DISTINCT FROM (SELECT non_negative FROM accounts WHERE id = NEW.account_id) THEN
    RAISE EXCEPTION 'balance row flag differs from account %', NEW.account_id USING ERRCODE = 'PN013';
  END IF;
  RETURN NEW;
END $$;
