#!/usr/bin/env bash
# Issue 13's acceptance figures from `copriv simulate` (ResNet-32 by default, both protocols, wan and lan): for each
# pre-processing mode the simulated latency against the link's lower bound, the online seconds and round trips, whether
# the meters equal the cost model, and the process's peak memory. Prints one JSON object per run, then a table.
#
#   bench/wan-latency.sh [MODEL] [EXTRA FLAGS FOR simulate, e.g. --width 0.25 or --jitter 2ms]
#
# Build first (`dotnet build -c Release -m:1`); COPRIV overrides the copriv binary. Needs GNU time (/usr/bin/time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
copriv=${COPRIV:-$root/src/Cli/bin/Release/net10.0/copriv}
model=${1:-resnet32}
shift $(( $# < 1 ? $# : 1 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for mode in inline ahead; do
  /usr/bin/time -v "$copriv" simulate --model "$model" --protocol both --network wan,lan --preprocess "$mode" \
    --out "$work/$mode" --json "$@" > "$work/$mode.json" 2> "$work/$mode.err" || { tail -5 "$work/$mode.err" >&2; exit 1; }
done
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
rows = []
for mode in ("inline", "ahead"):
    report = json.load(open(f"{work}/{mode}.json"))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{work}/{mode}.err").read()).group(1)) * 1024
    for r in report["protocols"]:
        row = {
            "preprocess": mode, "protocol": r["name"], "network": r["network"],
            "simulatedSeconds": r["simulatedSeconds"], "lowerBoundSeconds": r["lowerBoundSeconds"],
            "latencyOverBound": r["simulatedSeconds"] / r["lowerBoundSeconds"],
            "preprocessingSeconds": r.get("preprocessingSeconds"), "onlineSeconds": r.get("onlineSeconds"),
            "onlineRoundTrips": r["onlineRoundTrips"], "totalBytes": r["totalBytes"], "onlineBytes": r["onlineBytes"],
            "bytesEqualCostModel": r["totalBytes"] == r["predictedBytes"] and r["inference"].get("predictionExact") is True,
            "peakMemoryBytes": peak,
        }
        rows.append(row)
        print(json.dumps(row))
print()
print(f"{'mode':7} {'protocol':10} {'net':4} {'latency s':>10} {'bound s':>9} {'ratio':>6} {'online s':>9} {'online RT':>9} {'exact':>5} {'peak MB':>8}")
for r in rows:
    online = f"{r['onlineSeconds']:.2f}" if r["onlineSeconds"] is not None else "-"
    print(f"{r['preprocess']:7} {r['protocol']:10} {r['network']:4} {r['simulatedSeconds']:10.2f} {r['lowerBoundSeconds']:9.2f} "
          f"{r['latencyOverBound']:6.2f} {online:>9} {r['onlineRoundTrips']:9d} {str(r['bytesEqualCostModel']):>5} {r['peakMemoryBytes'] / 1e6:8.0f}")
PY
