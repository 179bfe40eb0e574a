#!/bin/bash
# Issue 12's comparison on one backbone and one data set: the unoptimized network, CoPriv's block gates and the SNL
# baseline at two budgets each — online and total bytes under copriv (cost model = meters), ReLUs, accuracy (or
# teacher agreement without --data). Usage: bench/optimize-compare.sh [MODEL] [KEEP_A] [KEEP_B] [extra optimize options...]
# e.g. bench/optimize-compare.sh mobilenetv2 0.6 0.4 --data data_batch_1.bin
set -euo pipefail
model=${1:-mobilenetv2}; a=${2:-0.6}; b=${3:-0.4}; shift $(( $# < 3 ? $# : 3 ))
root=$(cd "$(dirname "$0")/.." && pwd)
copriv=$root/src/Cli/bin/Release/net10.0/copriv
[ -x "$copriv" ] || dotnet build "$root/src/Cli" -c Release -m:1 >/dev/null
out=$(mktemp -d)
for method in copriv snl; do
  for keep in "$a" "$b"; do
    echo "optimize --method $method --keep $keep" >&2
    "$copriv" optimize --model "$model" --method "$method" --keep "$keep" --out "$out/$method-$keep.onnx" --json "$@" \
      > "$out/$method-$keep.json" 2> "$out/$method-$keep.log"
  done
done
python3 - "$out" "$a" "$b" <<'PY'
import json, sys
out, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
first = json.load(open(f"{out}/copriv-{a}.json"))
def copriv(report, key):
    return next(c for c in report["communication"] if c["protocol"] == "copriv")[key]
base = copriv(first, "unoptimized")
rows.append({"network": "unoptimized", "keep": 1.0, "totalBytes": base["totalBytes"], "onlineBytes": base["onlineBytes"],
             "relus": first["reluCountBefore"], "accuracy": first["accuracyBefore"]})
for method in ("copriv", "snl"):
    for keep in (a, b):
        r = json.load(open(f"{out}/{method}-{keep}.json"))
        o = copriv(r, "optimized")
        rows.append({"network": method, "keep": float(keep), "totalBytes": o["totalBytes"], "onlineBytes": o["onlineBytes"],
                     "relus": r["reluCountAfter"], "accuracy": r["accuracyAfter"], "imagesPerSecond": r["imagesPerSecond"],
                     "seconds": r["seconds"]})
print(json.dumps({"model": first["model"], "data": first["data"], "accuracyKind": first["accuracyKind"], "rows": rows}, indent=2))
PY
echo "reports and models in $out" >&2
