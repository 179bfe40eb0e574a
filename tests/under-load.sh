#!/usr/bin/env bash
# The default suite three times in a row from a fresh clone while two busy loops load the machine (issue 15,
# acceptance 5). Each run is exactly the CI's command; the summary line of each run is printed, with its time.
#
#   bash tests/under-load.sh [CLONE_DIR]     (default: a fresh temporary directory; logs next to it)
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(mktemp -d)/clone}
rm -rf "$dir"; git clone -q "$repo" "$dir" || exit 2
cd "$dir" || exit 2
echo "commit $(git rev-parse --short HEAD), clone $dir"
loops=(); for i in 1 2; do bash -c 'while :; do :; done' & loops+=($!); done
trap 'kill "${loops[@]}" 2>/dev/null' EXIT
failed=0
for r in 1 2 3; do
  s=$(date +%s)
  CI=true bash .ci/run > "$dir.run$r.log" 2>&1 || failed=1
  echo "run $r: $(( $(date +%s) - s )) s, load $(cut -d' ' -f1-3 /proc/loadavg): $(tail -1 "$dir.run$r.log")"
done
exit $failed
