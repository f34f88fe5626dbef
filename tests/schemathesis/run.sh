#!/usr/bin/env bash
# Runs schemathesis (every check, every phase including the stateful one) against the
# release server: a free loopback port, a temp data dir, a token, and a Cloudinary host
# that refuses connections, so verification answers "unreachable" at once.
# Usage: tests/schemathesis/run.sh [extra `st run` options]; needs `make build` and the venv
# of `make schemathesis`. Environment: SERVER, ST, ST_MAX_EXAMPLES, ST_SEED.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
server=${SERVER:-$root/target/release/connections-server}
st=${ST:-$root/.make/venv/bin/st}
here=$root/tests/schemathesis

tmp=$(mktemp -d)
pid=
stop() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap stop EXIT

mkdir -p "$tmp/data" "$tmp/dist"
token=$(head -c 36 /dev/urandom | base64 | tr '+/' '-_')

# The server prints its address on stdout once it listens.
exec 3< <(exec env CLOUDINARY_CONNECTIONS_ADDR=127.0.0.1:0 \
  CLOUDINARY_CONNECTIONS_DATA_DIR="$tmp/data" \
  CLOUDINARY_CONNECTIONS_DIST="$tmp/dist" \
  CLOUDINARY_CONNECTIONS_TOKEN="$token" \
  CLOUDINARY_API_BASE=http://127.0.0.1:9 \
  RUST_LOG=warn \
  "$server" 2>"$tmp/server.log")
pid=$!
url=
while IFS= read -r -u 3 line; do
  if [[ $line == *"is running at http://"* ]]; then
    url=${line##*running at }
    url=${url%/}
    break
  fi
done
if [[ -z $url ]]; then
  echo "the server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi
# Keep reading its stdout so that it never blocks on a full pipe.
cat <&3 >/dev/null &

status=0
"$st" --config-file "$here/schemathesis.toml" run "$url/api/openapi.json" \
  --url "$url" \
  -H "Authorization: Bearer $token" \
  --checks all \
  --exclude-checks ensure_resource_availability,use_after_free \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${ST_MAX_EXAMPLES:-100}" \
  --seed "${ST_SEED:-1}" \
  --workers 1 \
  --no-color \
  "$@" || status=$?
if [[ $status -ne 0 ]] && grep -q "panicked" "$tmp/server.log"; then
  echo "server log:" >&2
  cat "$tmp/server.log" >&2
fi
exit "$status"
