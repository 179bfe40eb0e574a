#!/usr/bin/env bash
# Stryker.NET over src/Protocols/NonLinear in six chunks that each fit well within an hour on 2 cores: every chunk
# mutates some files and runs the NonLinear test classes that exercise them, plus the cross-cutting ones. The
# 65,536-element tests are left out: under Stryker's coverage instrumentation one of them runs for many minutes, and
# smaller tests of every class reach the same code. A mutant that only a left-out class would kill counts as survived,
# so the chunks' union is a lower bound of the folder's score. ALL_CLASSES=1 gives every chunk all NonLinear classes
# (still without the 65,536-element tests): Stryker then runs, per mutant, whichever of them cover it, and the union
# is the folder's score, for a longer coverage pass per chunk.
#
#   tests/CoPriv.Protocols.Tests/mutation/nonlinear-chunks.sh [CHUNK...]    (from a separate clone's root; default: all)
#   python3 tests/CoPriv.Protocols.Tests/mutation/score.py                  (the folder's score from the reports)
#
# Reports: StrykerOutput/nl-<chunk>/reports/mutation-report.{json,html}; progress in StrykerOutput/nl-<chunk>.log.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root/tests/CoPriv.Protocols.Tests"
dotnet tool restore > /dev/null
NL='**/src/Protocols/NonLinear'
T='FullyQualifiedName~CoPriv.Protocols.Tests.NonLinear'
common="$T.EmptyBatchTests|$T.NonLinearArgumentValidationTests|$T.ParameterMismatchTests|$T.ShareRandomnessMutationTests"
declare -A tests files
tests[relu]="$T.ReluTests|$T.ConcurrentDirectionsTests"
files[relu]="ReluProtocol.cs DreluProtocol.cs Multiplexer.cs OtDirections.cs"
tests[boolean]="$T.BooleanGateTests|$T.TripleStoreTests|$T.ReluTests"
files[boolean]="BooleanAnd.cs BooleanToArithmetic.cs AndGates.cs BitTriples.cs BitTripleStore.cs"
tests[millionaire]="$T.MillionaireTests|$T.ReluTests"
files[millionaire]="MillionaireCore.cs MillionaireProtocol.cs"
tests[truncation]="$T.TruncationTests|$T.PoolingTests"
files[truncation]="FaithfulTruncation.cs TruncateAndReduce.cs PublicDivision.cs"
tests[pooling]="$T.PoolingTests|$T.ConcurrentDirectionsTests"
files[pooling]="MaxPoolProtocol.cs ArgMaxProtocol.cs"
tests[shared]="$T."
files[shared]="ParameterHandshake.cs NonLinearReference.cs OtCallCost.cs MsbKnowledge.cs ReluVariant.cs TripleSource.cs"
mkdir -p "$root/StrykerOutput"
chunks=("$@"); [ ${#chunks[@]} -eq 0 ] && chunks=(relu boolean millionaire truncation pooling shared)
for chunk in "${chunks[@]}"; do
  [ -n "${files[$chunk]:-}" ] || { echo "unknown chunk '$chunk' (relu boolean millionaire truncation pooling shared)" >&2; exit 2; }
  m=(); for f in ${files[$chunk]}; do m+=(-m "$NL/$f"); done
  filter="${tests[$chunk]}|$common"; [ "${ALL_CLASSES:-0}" = 1 ] && filter="$T."
  echo "$(date +%T) $chunk: ${files[$chunk]}"
  timeout 3600 dotnet stryker -f stryker-nonlinear.json -O "../../StrykerOutput/nl-$chunk" -L "${m[@]}" \
    --test-case-filter "($filter)&FullyQualifiedName!~65536" > "$root/StrykerOutput/nl-$chunk.log" 2>&1
  echo "$(date +%T) $chunk: exit $?, $(grep -o 'final mutation score is [0-9.]* %' "$root/StrykerOutput/nl-$chunk.log")"
done
