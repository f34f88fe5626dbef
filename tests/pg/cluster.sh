#!/usr/bin/env bash
# Runs a command with CONNECTIONS_TEST_POSTGRES pointing at a PostgreSQL server:
#
#   tests/pg/cluster.sh cargo test -p connections-server
#
# If CONNECTIONS_TEST_POSTGRES is set already (a developer's own server), it is
# used as it is. Otherwise a throwaway cluster is made: Debian's `postgresql` is
# installed if initdb is missing, `initdb` runs in a temp dir as a non-root user
# (`postgres` when this script runs as root), the server listens on a free port
# of 127.0.0.1 only (trust authentication, fsync off: it holds test data only),
# and it is stopped and removed when the command ends, however it ends.
# Quiet unless something fails.
set -euo pipefail

if [[ -n "${CONNECTIONS_TEST_POSTGRES:-}" ]]; then
	exec "$@"
fi

find_bin() {
	local dir
	if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		dirname "$(command -v initdb)"
		return
	fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return; }
	done
	return 1
}

if ! bin=$(find_bin); then
	echo "Installing Debian postgresql…"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	bin=$(find_bin)
fi

tmp=$(mktemp -d)
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
	# PostgreSQL refuses to run as root.
	chown postgres: "$tmp"
	as_owner=(runuser -u postgres --)
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
	"${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap stop EXIT

fail() {
	echo "tests/pg/cluster.sh: $1; the server's log:" >&2
	cat "$tmp/log" "$tmp/initdb.log" 2>/dev/null >&2 || true
	exit 1
}

"${as_owner[@]}" "$bin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --no-locale \
	>"$tmp/initdb.log" 2>&1 || fail "initdb failed"
"${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w -t 60 start \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c max_connections=300" \
	>/dev/null 2>&1 || fail "the server did not start"

export CONNECTIONS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
