# shellcheck shell=bash
# Shared by the scripts' argument parsing (source it; bash only): one-line usage
# errors with a "did you mean" suggestion, exit 2.

# cli_distance <a> <b>: Levenshtein distance (the words are short; plain bash is fine).
cli_distance() {
  local a=$1 b=$2 i j la=${#1} lb=${#2} cost d ins sub
  local -a prev cur
  for ((j = 0; j <= lb; j++)); do prev[j]=$j; done
  for ((i = 1; i <= la; i++)); do
    cur=("$i")
    for ((j = 1; j <= lb; j++)); do
      if [ "${a:i-1:1}" = "${b:j-1:1}" ]; then cost=0; else cost=1; fi
      d=$((prev[j] + 1)); ins=$((cur[j - 1] + 1)); sub=$((prev[j - 1] + cost))
      ((ins < d)) && d=$ins
      ((sub < d)) && d=$sub
      cur[j]=$d
    done
    prev=("${cur[@]}")
  done
  echo "${prev[lb]}"
}

# cli_suggest <word> <candidate>...: the candidate the word most likely meant, or
# nothing. A unique prefix match wins ("stat" -> status); otherwise the nearest
# candidate within max(2, a third of its length) edits ("--hlep" -> --help).
cli_suggest() {
  local w=$1 c best="" bestd=999 d lim n=0 pre=""
  shift
  for c in "$@"; do
    case $c in "$w"*) n=$((n + 1)); pre=$c ;; esac
  done
  if [ "$n" -eq 1 ] && [ ${#w} -ge 2 ]; then echo "$pre"; return 0; fi
  for c in "$@"; do
    d=$(cli_distance "$w" "$c")
    lim=$(( ${#c} / 3 )); ((lim < 2)) && lim=2
    if ((d <= lim && d < bestd)); then best=$c; bestd=$d; fi
  done
  [ -z "$best" ] || echo "$best"
}

# cli_unknown <prog> <what> <word> <candidate>...: one-line error on stderr, exit 2.
cli_unknown() {
  local prog=$1 what=$2 w=$3 s hint=""
  shift 3
  s=$(cli_suggest "$w" "$@")
  if [ -n "$s" ]; then hint="; did you mean '$s'?"; fi
  printf "%s: unknown %s '%s'%s (see --help)\n" "$prog" "$what" "$w" "$hint" >&2
  exit 2
}
