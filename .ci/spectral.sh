#!/usr/bin/env bash
# Lint the API's OpenAPI document with Spectral (spectral:oas, .spectral.yaml): 0 warnings.
# Spectral is installed with npm into a cached folder (SPECTRAL_HOME), once per version.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(cd "${VENV:-.venv}/bin" && pwd)"
version="6.16.3"
home="${SPECTRAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/surveyapp-spectral}/$version"
spectral="$home/node_modules/.bin/spectral"
if [ ! -x "$spectral" ]; then
  mkdir -p "$home"
  npm install --prefix "$home" --no-audit --no-fund --silent "@stoplight/spectral-cli@$version"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/python" - "$work/openapi.json" <<'PY'
import json, sys
from surveyapp import create_app
from surveyapp.api.openapi import build_document
app = create_app({"TESTING": True, "SECRET_KEY": "spectral", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with app.app_context():
    json.dump(build_document(app), open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
PY
"$spectral" lint "$work/openapi.json" --ruleset .spectral.yaml --fail-severity=hint
