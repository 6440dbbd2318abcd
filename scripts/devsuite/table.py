#!/usr/bin/python3
"""Prints the suite as a Markdown table (name, package, kind, build system, units, CPU s at -O2 and
-O3 -funroll-loops from the last full verify run, status).   table.py [SUITE]"""
import json, os, sys

suite = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../.cache/devsuite"))
ver = {}
levels = []
vf = os.path.join(suite, "verify-results.json")
if os.path.exists(vf):
    with open(vf) as f:
        v = json.load(f)
    levels = v["levels"]
    ver = {p["name"]: p for p in v["programs"]}
print("| program | package (version) | kind | build system | units | CPU s -O2 (baseline) | "
      + " | ".join("CPU s %s (verify)" % l for l in levels) + " | status |")
print("|---|---|---|---|---|---|" + "---|" * len(levels) + "---|")
n = ok = 0
for name in sorted(os.listdir(suite)):
    mf = os.path.join(suite, name, "suite.json")
    if not os.path.isfile(mf):
        continue
    with open(mf) as f:
        m = json.load(f)
    n += 1
    b = (m.get("baseline") or {}).get("cpu_seconds")
    r = ver.get(name)
    st = r["status"] if r else "not verified"
    if r and r["status"] == "ok":
        ok += 1
    cells = []
    for l in levels:
        c = (r or {}).get("cpu_seconds", {}).get(l)
        cells.append("%.2f" % c if c is not None else "-")
    why = (" (%s)" % r["reason"]) if r and r.get("reason") else ""
    print("| %s | %s %s | %s | %s | %d | %s | %s | %s%s |" % (
        name, m["package"], m["version"], m["kind"], m["build_system"], len(m["units"]),
        "%.2f" % b if b is not None else "-", " | ".join(cells), st, why))
print("\n%d programs, %d verified ok" % (n, ok))
