#!/usr/bin/python3
"""Rebuilds every program of the suite from its manifest at each option level, runs the workload and
compares stdout and exit code with the expected ones (see README.md).

  verify.py [--suite S] [--level=-O2 --level='-O3 -funroll-loops' ...] [--no-cache] [NAME...]

One line per program (units, CPU seconds per level, ok/FAILED and why), then
  verify: N programs, K ok, F failed (levels: ...)
A run over the whole suite also writes SUITE/verify-results.json. Exit 0 when every program passed.
"""
import argparse, json, os, re, shutil, sys, time

sys.dont_write_bytecode = True   # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import devsuite as ds  # noqa: E402  (rebuild, run_workload, load, programs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", default=os.environ.get("DEVSUITE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.cache/devsuite")))
    ap.add_argument("--level", action="append", default=None, help="gcc options of one build, e.g. --level='-O3 -funroll-loops'")
    ap.add_argument("--no-cache", action="store_true", help="compile every unit again (default: reuse objects of identical compiles)")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    levels = [l.split() for l in (a.level or ["-O2", "-O3 -funroll-loops"])]
    suite = os.path.realpath(a.suite)
    progs = ds.programs(suite, a.names)
    print("%-16s %5s " % ("program", "units") + " ".join("%18s" % ("CPU s " + " ".join(l))[:18] for l in levels) + "  status", flush=True)
    rows, npass = [], 0
    for d in progs:
        man = ds.load(d)
        name = man["name"]
        cpus, status, why = [], "ok", ""
        if not man.get("expected"):
            status, why = "FAILED", "no baseline (make-suite.sh did not finish this program)"
        else:
            with open(os.path.join(d, man["expected"]["stdout"]), "rb") as f:
                want = f.read()
            for l in levels:
                tag = re.sub(r'[^A-Za-z0-9]+', '_', "_".join(l)).strip("_")
                outdir = os.path.join(d, "verify", tag)
                shutil.rmtree(outdir, ignore_errors=True)
                exe, e = ds.rebuild(d, man, l, outdir, cache=not a.no_cache)
                if not exe:
                    status, why = "FAILED", "%s: %s" % (" ".join(l), e)
                    break
                o, rc, cpu = ds.run_workload(d, man, exe)
                if o is None:
                    status, why = "FAILED", "%s: %s" % (" ".join(l), rc)
                    break
                cpus.append(cpu)
                if o != want or rc != man["expected"]["exit_code"]:
                    status, why = "FAILED", "%s: output differs (exit %d, expected %d)" % (" ".join(l), rc, man["expected"]["exit_code"])
                    break
        cols = " ".join("%18s" % ("%.3f" % c) for c in cpus) + " ".join("%18s" % "-" for _ in range(len(levels) - len(cpus)))
        print("%-16s %5d %s  %s%s" % (name, len(man["units"]), cols, status, ("  " + why) if why else ""), flush=True)
        rows.append({"name": name, "units": len(man["units"]),
                     "cpu_seconds": {" ".join(l): c for l, c in zip(levels, cpus)}, "status": status, "reason": why or None})
        npass += status == "ok"
    if not a.names:
        with open(os.path.join(suite, "verify-results.json"), "w") as f:
            json.dump({"levels": [" ".join(l) for l in levels], "programs": rows,
                       "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, f, indent=1)
    print("verify: %d programs, %d ok, %d failed (levels: %s)" % (len(progs), npass, len(progs) - npass, " | ".join(" ".join(l) for l in levels)))
    return 0 if progs and npass == len(progs) else 1


if __name__ == "__main__":
    sys.exit(main())
