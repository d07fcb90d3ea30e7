#!/usr/bin/env bash
# Fuzz the JSON API with schemathesis against its own OpenAPI document.
#
# Starts the app on 127.0.0.1 (a free port) over a temporary SQLite database with the demo data,
# makes a provider API token with the CLI, and runs schemathesis on /api/v1/openapi.json with
# that token: no 5xx, status codes, content types and bodies as documented, schema-invalid
# input rejected, auth enforced. Bounded by FUZZ_EXAMPLES per operation (default 30).
# Run from anywhere: tests/api/fuzz.sh   (VENV=... to use another virtualenv)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(cd "${VENV:-.venv}/bin" && pwd)"
examples="${FUZZ_EXAMPLES:-30}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$work/fuzz.sqlite3"
export SECRET_KEY="fuzz-$(date +%s%N)"
export SURVEYAPP_ENV=development
flask=("$bin/flask" --app surveyapp)

"${flask[@]}" init-db >/dev/null
"${flask[@]}" demo --seed 42 >/dev/null
provider="$("$bin/python" - <<'PY'
import sqlite3, os
path = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
print(sqlite3.connect(path).execute(
    "SELECT name FROM organizations WHERE kind = 'provider' ORDER BY id LIMIT 1").fetchone()[0])
PY
)"
token="$("${flask[@]}" create-api-token --organization "$provider" --name fuzz 2>/dev/null)"
port="$("$bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"${flask[@]}" run --host 127.0.0.1 --port "$port" --no-reload >"$work/server.log" 2>&1 &
server_pid=$!

url="http://127.0.0.1:$port/api/v1/openapi.json"
echo "fuzzing $url ($examples examples per operation)"
status=0
# schemathesis keeps its cache in the working directory: run it in the temporary one
(cd "$work" && "$bin/schemathesis" run "$url" \
  --wait-for-schema "${FUZZ_WAIT:-120}" \
  --header "Authorization: Bearer $token" \
  --max-examples "$examples" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,ignored_auth,unsupported_method,use_after_free,ensure_resource_availability \
  --request-timeout 20 \
  --no-color) || status=$?

if grep -q "Traceback" "$work/server.log"; then
  echo "the server logged a traceback:" >&2
  cat "$work/server.log" >&2
  status=1
fi
exit "$status"
