#!/usr/bin/env python3
"""Line and branch coverage per folder of src/Protocols from coverlet's Cobertura report.

    dotnet test -c Release tests/CoPriv.Protocols.Tests --collect:"XPlat Code Coverage" --results-directory TestResults
    python3 tests/CoPriv.Protocols.Tests/mutation/coverage.py [--json] [REPORT]   (default: the newest under TestResults/)

A line that several classes list (a lambda's or an iterator's compiler-made class shares its file) counts once, as
covered when any of them hit it; its branch conditions count once, with the most any of them covered.
"""
import glob, json, os, re, sys
import xml.etree.ElementTree as ET

args = [a for a in sys.argv[1:] if a != "--json"]
as_json = "--json" in sys.argv[1:]
if args:
    report = args[0]
else:
    found = sorted(glob.glob("TestResults/*/coverage.cobertura.xml"), key=os.path.getmtime)
    if not found:
        sys.exit("no TestResults/*/coverage.cobertura.xml: run the dotnet test command in this file's header first")
    report = found[-1]

root = ET.parse(report).getroot()
sources = [s.text or "" for s in root.iter("source")]
lines = {}  # (file, line) -> (hit, covered conditions, conditions)
for cls in root.iter("class"):
    name = cls.get("filename", "").replace("\\", "/")
    for src in sources:  # coverlet writes paths relative to one of the <source> roots
        full = os.path.join(src, name).replace("\\", "/")
        if "/src/Protocols/" in full:
            name = full
            break
    i = name.find("src/Protocols/")
    if i < 0:
        continue
    rel = name[i + len("src/Protocols/"):]
    for ln in cls.iter("line"):
        key = (rel, int(ln.get("number")))
        hit = int(ln.get("hits", "0")) > 0
        cov, tot = 0, 0
        m = re.search(r"\((\d+)/(\d+)\)", ln.get("condition-coverage", ""))
        if m:
            cov, tot = int(m.group(1)), int(m.group(2))
        h0, c0, t0 = lines.get(key, (False, 0, 0))
        lines[key] = (h0 or hit, max(c0, cov), max(t0, tot))

def folder(rel):
    return rel.split("/")[0] if "/" in rel else "(top level)"

rows = {}
for (rel, _), (hit, cov, tot) in lines.items():
    for f in (folder(rel), "src/Protocols"):
        r = rows.setdefault(f, [0, 0, 0, 0])
        r[0] += hit; r[1] += 1; r[2] += cov; r[3] += tot

def pct(a, b):
    return round(100.0 * a / b, 2) if b else None

result = {f: {"linesCovered": r[0], "lines": r[1], "lineCoverage": pct(r[0], r[1]),
              "branchesCovered": r[2], "branches": r[3], "branchCoverage": pct(r[2], r[3])}
          for f, r in sorted(rows.items(), key=lambda kv: (kv[0] == "src/Protocols", kv[0]))}
if as_json:
    print(json.dumps({"report": report, "folders": result}, indent=2))
else:
    print(f"{'folder':<16}{'lines':>16}{'line %':>9}{'branches':>16}{'branch %':>10}")
    for f, r in result.items():
        print(f"{f:<16}{str(r['linesCovered']) + '/' + str(r['lines']):>16}{r['lineCoverage'] or 0:>8.2f}%"
              f"{str(r['branchesCovered']) + '/' + str(r['branches']):>16}{r['branchCoverage'] or 0:>9.2f}%")
    print(f"(from {report})")
