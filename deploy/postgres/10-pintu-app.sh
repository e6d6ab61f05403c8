#!/bin/sh
# First start of the compose PostgreSQL: the role the service runs as. It owns nothing; `pintu migrate`
# (run as the owner) grants it SELECT/INSERT on the journal and nothing that could rewrite history.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$PINTU_APP_PASSWORD" <<'SQL'
CREATE ROLE pintu_app LOGIN PASSWORD :'password';
SQL
