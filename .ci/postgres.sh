#!/usr/bin/env bash
# Installs and starts Debian's PostgreSQL for the production-path tests (Ponder on PostgreSQL,
# crash recovery). Idempotent: a machine that already has it running is left as it is.
# Exports PERPWATCH_TEST_PG, the URL of an empty database those tests use.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "== installing postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters --no-header | grep -q online; then
  pg_ctlcluster "$version" main start
fi
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\""
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'perpwatch_test'\"" | grep -q 1 \
  || su postgres -c "createdb perpwatch_test"
export PERPWATCH_TEST_PG="postgresql://postgres:postgres@127.0.0.1:5432/perpwatch_test"
echo "== postgresql $version online: $PERPWATCH_TEST_PG"
