#!/usr/bin/env bash
# Plants, one at a time, the four bugs of issue 15's acceptance 1 in a scratch clone and runs the default suite's test
# projects those bugs live under: each bug must make at least one test fail. Prints, per bug, the failing tests.
#
#   bash tests/planted-bugs.sh [CLONE_DIR]     (default: a fresh temporary directory; about 15 minutes on 2 cores)
#
# The bugs (each a one-line change; a pattern that no longer matches the source is an error, not a pass):
#   mask-zero    the chosen-message multiplexer's sender mask r is zero, so the receiver reads x in the clear
#   f43-entry    one entry of Winograd F(4,3)'s input transform is wrong (row 1: -4 -> -3)
#   zero-pad     the stride-2 zero-padding shortcut samples odd pixels instead of even ones (reference and parties)
#   sign-trunc   every secure truncation treats its input as non-negative, also where its sign is unknown
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(mktemp -d)/clone}
rm -rf "$dir"; git clone -q "$repo" "$dir" || exit 2
cd "$dir" || exit 2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "commit $(git rev-parse --short HEAD), clone $dir"

# name | file | perl substitution | test projects
bugs=(
  'mask-zero|src/Protocols/NonLinear/Multiplexer.cs|s/(ctx\.Prg\.Fill\(r, ring\);)/$1 r.Clear();/|CoPriv.Protocols.Tests'
  'f43-entry|src/Protocols/Linear/WinogradTransform.cs|s/\{ 0, -4, -4, 1, 1, 0 \}/{ 0, -3, -4, 1, 1, 0 }/|CoPriv.Protocols.Tests CoPriv.Inference.Tests'
  'zero-pad|src/Models/Lowering/FixedPointReferenceExecutor.cs|s/oy \* shortcut\.Stride\) \* inShape\.Width \+ ox \* shortcut\.Stride\]/oy * shortcut.Stride + 1) * inShape.Width + ox * shortcut.Stride + 1]/|CoPriv.Models.Tests CoPriv.Inference.Tests'
  'sign-trunc|src/Inference/Operators/SecureTruncation.cs|s/MsbKnowledge\.Unknown/MsbKnowledge.NonNegative/g|CoPriv.Inference.Tests'
)
missed=0
for bug in "${bugs[@]}"; do
  IFS='|' read -r name file subst projects <<< "$bug"
  perl -0pi -e "$subst" "$file"
  if git diff --quiet -- "$file"; then
    echo "$name: the pattern no longer matches $file; update this script"; exit 2
  fi
  failed=0; names=()
  for p in $projects; do
    log="$dir.$name.$p.log"
    if ! dotnet build -c Release -m:1 -v q "tests/$p" > "$log.build" 2>&1; then
      echo "$name: build failed (see $log.build)"; exit 2
    fi
    dotnet test -c Release --no-build "tests/$p" > "$log" 2>&1
    n=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
    failed=$((failed + n))
    while IFS= read -r t; do names+=("$p: $t"); done < <(grep -oE '^ +Failed [^ ].*\[' "$log" | sed -E 's/^ +Failed (.*) \[$/\1/')
  done
  git checkout -q -- "$file"
  echo "$name: $failed failed test(s) in $projects"
  for t in "${names[@]}"; do echo "    $t"; done
  [ "$failed" -gt 0 ] || missed=1
done
[ "$missed" -eq 0 ] && echo "every planted bug fails the suite" || echo "a planted bug passed the suite"
exit $missed
