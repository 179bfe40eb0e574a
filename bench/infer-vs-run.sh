#!/usr/bin/env bash
# The two-machine runtime against the in-process engine, on one machine: `copriv run` (both parties in one process,
# in-memory channel) and `copriv serve` + `copriv infer` (two processes, Akka.Cluster control plane, TLS data plane on
# loopback) for the same model, protocol and image. Prints both reports' seconds and bytes and the ratio as JSON.
#
#   bench/infer-vs-run.sh [MODEL] [PROTOCOL] [EXTRA FLAGS FOR serve AND infer, e.g. --insecure]
#
# Build first (`dotnet build -c Release -m:1`); COPRIV overrides the copriv binary, WIDTH (default 1) the model's
# channel multiplier of all three commands.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
copriv=${COPRIV:-$root/src/Cli/bin/Release/net10.0/copriv}
model=${1:-resnet32-sci}
protocol=${2:-copriv}
shift $(( $# < 2 ? $# : 2 ))
extra=("$@")
spec=(--model "$model" --protocol "$protocol" --width "${WIDTH:-1}")
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$copriv" run "${spec[@]}" --json > "$work/run.json" 2> "$work/run.err" || { cat "$work/run.err" >&2; exit 1; }

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
start=$(date +%s.%N)
"$copriv" infer "${spec[@]}" --server "$address" "${pin[@]}" "${extra[@]}" --json > "$work/infer.json" \
  2> "$work/infer.err" || { cat "$work/infer.err" >&2; exit 1; }
end=$(date +%s.%N)

python3 - "$work/run.json" "$work/infer.json" "$start" "$end" <<'PY'
import json, sys
run, infer = (json.load(open(p)) for p in sys.argv[1:3])
infer_wall = float(sys.argv[4]) - float(sys.argv[3])
print(json.dumps({
    "model": run["model"], "protocol": run["protocol"],
    "runSeconds": run["seconds"], "inferSeconds": infer["seconds"],
    "ratio": round(infer["seconds"] / run["seconds"], 3),
    "inferProcessSeconds": round(infer_wall, 3),
    "runTotalBytes": run["totalBytes"], "inferTotalBytes": infer["totalBytes"],
    "bytesEqual": run["totalBytes"] == infer["totalBytes"],
    "runClass": run["predictedClass"], "inferClass": infer["predictedClass"],
    "referenceClass": run.get("referenceClass"),
}, indent=2))
PY
