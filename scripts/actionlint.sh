#!/usr/bin/env bash
# npm run lint:workflows
# Lints .github/workflows/*.yml with actionlint (expressions, job graph, action
# inputs, runner labels; shellcheck on `run:` blocks when shellcheck is on PATH).
# actionlint is built once from the Go module proxy into a per-user cache and
# reused after. Exit 0 when clean, non-zero on findings or a failed install.
#
# Env: ACTIONLINT_VERSION (default below), XDG_CACHE_HOME.
set -euo pipefail

version=${ACTIONLINT_VERSION:-v1.7.12}
tools_dir="${XDG_CACHE_HOME:-$HOME/.cache}/domino-tenancy/tools"
bin_dir="$tools_dir/actionlint-$version"
actionlint="$bin_dir/actionlint"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ ! -x "$actionlint" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "actionlint.sh: go is required to install actionlint $version (no binary at $actionlint)" >&2
    exit 2
  fi
  echo "actionlint.sh: installing actionlint $version into $bin_dir" >&2
  mkdir -p "$tools_dir"
  # Build into a temp dir next to the target, then rename: an interrupted build
  # never leaves a half-written binary that the check above would trust.
  tmp=$(mktemp -d "$tools_dir/.actionlint-$version.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -trimpath" \
    go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  chmod 755 "$tmp"
  rm -rf "$bin_dir"
  mv "$tmp" "$bin_dir"
  trap - EXIT
fi

cd "$root"
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "actionlint.sh: no workflow files under .github/workflows" >&2
  exit 2
fi
exec "$actionlint" "$@" "${files[@]}"
