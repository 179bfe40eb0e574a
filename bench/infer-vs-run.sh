#!/usr/bin/env bash
# The two-machine runtime against the in-process engine, on one machine: `copriv run` (both parties in one process,
# in-memory channel) and `copriv serve` + `copriv infer` (two processes, Akka.Cluster control plane, TLS data plane on
# loopback) for the same model, protocol and image, REPEAT times (default 3) in turn against one running server.
# Prints one JSON object: every repeat's figures and the medians of the two ratios issue 10 asks about:
#   ratio         endToEndSeconds of infer's session over run's (setup + pre-processing + online, each the slower
#                 party's: the session's wall time, start-up aside)
#   processRatio  the `copriv infer` process's wall time over the `copriv run` process's (start-up, joining the
#                 cluster and leaving it included on one side; loading the weights and the reference on the other)
#
#   bench/infer-vs-run.sh [MODEL] [PROTOCOL] [EXTRA FLAGS FOR serve AND infer, e.g. --insecure]
#
# Build first (`dotnet build -c Release -m:1`); COPRIV overrides the copriv binary, WIDTH (default 1) the model's
# channel multiplier of all three commands; KEEP=1 keeps the working directory (reports and logs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
copriv=${COPRIV:-$root/src/Cli/bin/Release/net10.0/copriv}
model=${1:-resnet32-sci}
protocol=${2:-copriv}
shift $(( $# < 2 ? $# : 2 ))
extra=("$@")
repeat=${REPEAT:-3}
spec=(--model "$model" --protocol "$protocol" --width "${WIDTH:-1}")
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$copriv" serve "${spec[@]}" --listen 127.0.0.1:0 --state-dir "$work/state" \
  "${extra[@]}" > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
address=
for _ in $(seq 200); do
  address=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/serve.err" | head -1 || true)
  [ -n "$address" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.2
done
[ -n "$address" ] || { echo "the server printed no address within 40 s" >&2; exit 1; }
pin=()
if [[ " ${extra[*]} " != *" --insecure "* ]]; then
  pin=(--server-fingerprint "$("$copriv" serve --print-fingerprint --state-dir "$work/state" 2>/dev/null | tail -1)")
fi

# In turn, so that a change in the machine's load falls on both.
for k in $(seq "$repeat"); do
  start=$(date +%s.%N)
  "$copriv" run "${spec[@]}" --json > "$work/run-$k.json" 2> "$work/run-$k.err" || { cat "$work/run-$k.err" >&2; exit 1; }
  middle=$(date +%s.%N)
  "$copriv" infer "${spec[@]}" --server "$address" "${pin[@]}" "${extra[@]}" --json > "$work/infer-$k.json" \
    2> "$work/infer-$k.err" || { cat "$work/infer-$k.err" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $middle $end" > "$work/times-$k"
done

python3 - "$work" "$repeat" <<'PY'
import json, statistics, sys
work, repeat = sys.argv[1], int(sys.argv[2])
runs = []
for k in range(1, repeat + 1):
    run, infer = (json.load(open(f"{work}/{name}-{k}.json")) for name in ("run", "infer"))
    start, middle, end = map(float, open(f"{work}/times-{k}").read().split())
    runs.append({
        "runEndToEndSeconds": run["endToEndSeconds"], "inferEndToEndSeconds": infer["endToEndSeconds"],
        "ratio": round(infer["endToEndSeconds"] / run["endToEndSeconds"], 3),
        "runProcessSeconds": round(middle - start, 3), "inferProcessSeconds": round(end - middle, 3),
        "processRatio": round((end - middle) / (middle - start), 3),
        "bytesEqual": run["totalBytes"] == infer["totalBytes"],
        "classesEqual": run["predictedClass"] == infer["predictedClass"] == run.get("referenceClass"),
        "totalBytes": infer["totalBytes"], "predictedClass": infer["predictedClass"],
    })
print(json.dumps({
    "model": run["model"], "protocol": run["protocol"], "preprocess": run["preprocess"], "repeats": repeat,
    "ratio": statistics.median(r["ratio"] for r in runs),
    "processRatio": statistics.median(r["processRatio"] for r in runs),
    "bytesEqual": all(r["bytesEqual"] for r in runs),
    "classesEqual": all(r["classesEqual"] for r in runs),
    "runs": runs,
}, indent=2))
PY
