#!/usr/bin/env sh
# Copies the Grafana dashboards from compose/grafana/dashboards (their source) into this overlay.
# Kustomize's load restrictor forbids files outside the kustomization's directory, so
# configMapGenerator cannot read ../../../compose directly (and `kubectl apply -k` has no
# --load-restrictor flag). Run after changing a dashboard; `--check` only reports drift (for CI).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/../../../compose/grafana/dashboards"
dst="$here/dashboards"
if [ "${1:-}" = "--check" ]; then
  diff -r "$src" "$dst" && echo "dashboards in sync"
  exit $?
fi
rm -f "$dst"/*.json
cp "$src"/*.json "$dst"/
echo "copied $(ls "$dst" | wc -l) dashboards to $dst"
