#!/usr/bin/env bash
# npm run lint:workflows [-- <actionlint option>...]   (--help: usage)
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
# shellcheck source=lib/cli.sh
source "$root/scripts/lib/cli.sh"

usage() {
  cat <<EOF
usage: npm run lint:workflows [-- <actionlint option>...]

Lints .github/workflows/*.yml with actionlint $version (built once from the Go
module proxy into $bin_dir; shellcheck checks the run: blocks when it is on PATH).
Options are passed to actionlint; they are checked here first, so a typo fails at
once instead of after the install.

actionlint options: -oneline -format <template> -ignore <regexp> (repeatable)
  -config-file <file> -shellcheck <cmd> -pyflakes <cmd> -color -no-color -verbose
  -debug -version -init-config -stdin-filename <name>   (-x, --x and -x=value all work)

environment: ACTIONLINT_VERSION (default v1.7.12), XDG_CACHE_HOME

examples:
  npm run lint:workflows
  npm run lint:workflows -- -oneline
  npm run lint:workflows -- -ignore 'label .* is unknown'

exit codes: 0 no findings; 1 findings; 2 usage error, or go missing for the install;
            3 actionlint failed (its own fatal error)
EOF
}

# Check the arguments before anything is installed.
value_flags=(ignore shellcheck pyflakes format config-file stdin-filename)
bool_flags=(oneline init-config no-color color verbose debug version)
expect_value=""
for a in "$@"; do
  if [ -n "$expect_value" ]; then expect_value=""; continue; fi
  case $a in
    -h|--help|-help) usage; exit 0 ;;
    -*)
      name=${a#-}; name=${name#-}; has_value=0
      case $name in *=*) name=${name%%=*}; has_value=1 ;; esac
      if [[ " ${value_flags[*]} " == *" $name "* ]]; then
        [ "$has_value" = 1 ] || expect_value=$name
      elif [[ " ${bool_flags[*]} " != *" $name "* ]]; then
        cli_unknown actionlint.sh option "$a" --help "${value_flags[@]/#/-}" "${bool_flags[@]/#/-}"
      fi ;;
  esac
done
if [ -n "$expect_value" ]; then
  echo "actionlint.sh: option -$expect_value needs a value (see --help)" >&2
  exit 2
fi

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
