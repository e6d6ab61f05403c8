-- Raise an error (SQLSTATE P0002) unless `ok`: lets a single multi-CTE statement abort itself, and
-- with it everything it already wrote, when one of its conditions fails.
CREATE FUNCTION pintu_assert(ok boolean, message text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION '%', message USING ERRCODE = 'P0002';
  END IF;
  RETURN true;
END $$;
