#!/usr/bin/python3
"""The development suite's recorder and baseline (the manifest format is in README.md); verify.py
uses its rebuild and run functions.

  devsuite.py record  --name N --out DIR --tree T --events E --compile-commands C --binary B ...
  devsuite.py baseline DIR          rebuild at -O2 from the manifest, run, store expected output and CPU time
  devsuite.py index SUITE           write SUITE/suite-index.json (programs with a manifest)

Only the standard library; /usr/bin/python3 on Debian 12.
"""
import argparse, hashlib, json, os, re, shlex, shutil, subprocess, sys, tempfile, time, resource
from concurrent.futures import ThreadPoolExecutor

SCHEMA = 1
# a folder with one of these names holds a copy of a project reserved for independent evaluation
RESERVED = re.compile(r'^(zlib[-.0-9]*|libz|bzip2[-.0-9]*|lua[-.0-9]*|sqlite3?[-.0-9]*|embench.*|polybench.*|coremark.*|llvm-test-suite|test-suite)$', re.I)
# file names that only these projects use (a vendored copy under another folder name)
RESERVED_FILES = {"bzlib.c", "blocksort.c", "lvm.c", "lapi.c", "lgc.c", "ldo.c", "sqlite3.c", "zutil.c", "inftrees.c",
                  "adler32.c", "core_list_join.c", "core_matrix.c"}
DRIVER = re.compile(r'(^|[-/])(gcc|cc|c89|c99)(-\d+)?$')
ARCHIVER = re.compile(r'(^|-)ar(-\d+)?$')
RUN_ENV_BASE = {"LC_ALL": "C", "LANG": "C", "TZ": "UTC"}


def err(*a):
    print(*a, file=sys.stderr, flush=True)


def die(msg):
    # the last line on stdout is the reason make-suite.sh shows
    print(msg, flush=True)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# record: units from compile_commands.json, the link (and archives) from bear's exec events
# ---------------------------------------------------------------------------------------------
def load_events(path):
    evs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            st = o.get("started")
            if st and "execution" in st:
                ex = st["execution"]
                evs.append((ex["executable"], ex["arguments"], ex["working_dir"]))
    return evs


def absp(cwd, p):
    return os.path.normpath(p if os.path.isabs(p) else os.path.join(cwd, p))


LINK_ONLY_WITH_ARG = {"-o", "-z", "-Xlinker", "-T", "-L", "-l"}


def strip_unit_args(args, source_abs, directory, tree):
    """compile_commands.json arguments -> the unit's arguments (no compiler, -c, -o, source, -M*);
    absolute paths into the package tree (CMake's -I/abs/...) become relative to the unit's directory."""
    out = []
    rel_tree = os.path.relpath(tree, directory)
    i = 1
    while i < len(args):
        a = args[i]
        if a in ("-c",):
            i += 1; continue
        if a == "-o":
            i += 2; continue
        if a in ("-MF", "-MT", "-MQ"):
            i += 2; continue
        if a.startswith("-M") or a.startswith("-Wp,-M"):
            i += 1; continue
        if a.startswith("-Werror"):
            i += 1; continue   # documented: new warnings at other levels must not fail a rebuild
        if not a.startswith("-") and absp(directory, a) == source_abs:
            i += 1; continue
        if tree in a:
            a = re.sub(re.escape(tree) + r'(?=/|$)', rel_tree, a)
        out.append(a)
        i += 1
    return out


def ld_trace(link_argv, cwd):
    """Re-run the original link with --trace: which objects and archive members it really used."""
    tmp = tempfile.mkdtemp(prefix="devsuite-trace-")
    try:
        argv = ["gcc"]
        skip = False
        for k, a in enumerate(link_argv[1:]):
            if skip:
                skip = False; continue
            if a == "-o":
                skip = True; continue
            argv.append(a)
        argv += ["-o", os.path.join(tmp, "a.out"), "-Wl,--trace", "-Wl,--trace"]   # twice: archive members too
        p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        if p.returncode != 0:
            die("re-running the link with --trace failed: " + p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "link --trace failed")
        used = []
        for line in p.stdout.splitlines():
            line = line.strip()
            if not line or line.startswith("/usr/bin/ld:") or line.startswith("ld:"):
                continue
            m = re.match(r'^\((.*)\)([^()]+)$', line) or re.match(r'^(.*)\(([^()]*)\)$', line)
            if m:
                used.append(("member", absp(cwd, m.group(1)), m.group(2)))
            else:
                used.append(("file", absp(cwd, line), None))
        return used
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_record(a):
    tree = os.path.realpath(a.tree)
    out = os.path.realpath(a.out)
    binary = absp(tree, a.binary)
    evs = load_events(a.events)
    with open(a.compile_commands) as f:
        cc = json.load(f)

    # the link that wrote the binary (the last one, if it was linked twice)
    link = None
    copies = []
    for exe, argv, cwd in evs:
        if not DRIVER.search(os.path.basename(exe)) and not DRIVER.search(os.path.basename(argv[0])):
            continue
        if any(x in argv for x in ("-c", "-S", "-E")):
            continue
        if not any(x.endswith((".o", ".c", ".a")) for x in argv[1:]):
            continue
        o = argv[argv.index("-o") + 1] if "-o" in argv else "a.out"
        if absp(cwd, o) == binary:
            link = (exe, argv, cwd)
        else:
            copies.append((absp(cwd, o), (exe, argv, cwd)))
    if link is None:
        # the build linked elsewhere and copied the program (zstd: obj/conf_*/zstd -> zstd): same bytes
        with open(binary, "rb") as f:
            want = f.read()
        for path, ev in copies:
            if os.path.isfile(path) and os.path.getsize(path) == len(want):
                with open(path, "rb") as f:
                    if f.read() == want:
                        link = ev
    if link is None:
        die("no gcc link command writing %s in bear's events" % a.binary)
    _, largv, lcwd = link

    # archives the build made: archive -> {member basename: object path}
    archives = {}
    for exe, argv, cwd in evs:
        if os.path.basename(exe) in ("cp", "mv", "install", "ln"):
            # an archive copied elsewhere (apcalc: cp custom/libcustcalc.a .) has the same members
            ops = [x for x in argv[1:] if not x.startswith("-")]
            if len(ops) == 2 and ops[0].endswith(".a"):
                src, dst = absp(cwd, ops[0]), absp(cwd, ops[1])
                if os.path.isdir(dst):
                    dst = os.path.join(dst, os.path.basename(src))
                if src in archives:
                    archives[dst] = dict(archives[src])
            continue
        if not ARCHIVER.search(os.path.basename(exe)):
            continue
        ops = list(argv[1:])
        while ops and ops[0].startswith("--"):
            ops.pop(0)
        if len(ops) < 2 or not re.match(r'^-?[a-zA-Z]+$', ops[0]) or not any(c in ops[0] for c in "rq"):
            continue
        ops = [ops[0]] + [x for x in ops[1:] if not x.startswith("-")]
        arc = absp(cwd, ops[1])
        m = archives.setdefault(arc, {})
        for obj in ops[2:]:
            m.setdefault(os.path.basename(obj), []).append(absp(cwd, obj))

    by_output = {}
    by_objname = {}
    for e in cc:
        if "output" in e:
            outp = absp(e["directory"], e["output"])
        else:   # `gcc -c x.c` without -o writes x.o in the working directory
            outp = os.path.join(e["directory"], os.path.splitext(os.path.basename(e["file"]))[0] + ".o")
        by_output.setdefault(outp, []).append(e)
        by_objname.setdefault(os.path.basename(outp), []).append(e)

    def entry_for_object(p):
        """The compile command that made object p; a build that moves objects (libgsm: mv x.o src/x.o) is
        matched by file name when exactly one compile wrote an object of that name."""
        es = by_output.get(p)
        if es:
            return es[-1]
        m = re.search(r'\.lax/([^/]+\.a)/([^/]+)$', p)
        if m:
            # libtool unpacked a convenience archive (X.lax/libfoo.a/member.o) to repack it into another
            for arc, members in archives.items():
                if os.path.basename(arc) == m.group(1) and len(set(members.get(m.group(2), []))) == 1:
                    return entry_for_object(members[m.group(2)][0])
            return None
        es = by_objname.get(os.path.basename(p), [])
        srcs = {absp(e["directory"], e["file"]) for e in es}
        if len(srcs) == 1:
            return es[-1]
        return None

    units = []          # manifest units
    unit_of_obj = {}    # abs object path -> unit index

    def add_unit(entry, key):
        if key in unit_of_obj:
            return unit_of_obj[key]
        d = entry["directory"]
        src = absp(d, entry["file"])
        if not src.endswith(".c"):
            die("unit %s is not C (%s): this program has non-C code" % (os.path.relpath(src, tree), entry["arguments"][0]))
        rel = os.path.relpath(src, tree)
        if any(RESERVED.match(c) for c in os.path.dirname(rel).split(os.sep)) or os.path.basename(rel) in RESERVED_FILES:
            die("unit %s looks like a reserved project (zlib/bzip2/lua/sqlite/...): refusing" % rel)
        idx = len(units)
        units.append({
            "source": os.path.relpath(src, d),
            "directory": os.path.relpath(d, out),
            "arguments": strip_unit_args(entry["arguments"], src, d, tree),
            "object": "obj/u%03d.o" % idx,
            "origin": rel,
        })
        unit_of_obj[key] = idx
        return idx

    used = ld_trace(largv, lcwd)
    used_members = {}   # archive -> [member names in load order]
    used_files = set()
    for kind, path, member in used:
        if kind == "member":
            used_members.setdefault(path, []).append(member)
        else:
            used_files.add(path)

    link_args = []
    flattened = set()
    tree_libdirs = []
    for k, x in enumerate(largv):
        d = largv[k + 1] if x == "-L" and k + 1 < len(largv) else (x[2:] if x.startswith("-L") and x != "-L" else None)
        if d is not None and absp(lcwd, d).startswith(tree):
            tree_libdirs.append(absp(lcwd, d))

    def flatten(p):
        """An archive of the build: the members the original link pulled, as unit objects, in load order."""
        if p not in archives and os.path.realpath(p) in archives:
            p = os.path.realpath(p)   # a symbolic link to the archive (eprover: lib/CONTROL.a -> ../CONTROL/CONTROL.a)
        if p not in archives:
            die("archive %s was not made by ar in this build" % os.path.relpath(p, tree))
        flattened.add(p)
        for mem in used_members.get(p, []) + [m for q, ms in used_members.items() if q != p and os.path.realpath(q) == p for m in ms]:
            cands = list(dict.fromkeys(archives[p].get(mem, [])))
            if len(cands) > 1:
                # same member name twice (libdeflate: x86/ and arm/cpu_features.o): the linker can only have
                # pulled a member that defines a global symbol
                k = used_members[p].count(mem)
                defining = [c for c in cands if subprocess.run(["nm", "-g", "--defined-only", c], capture_output=True, text=True).stdout.strip()]
                if len(defining) == k:
                    for c in defining:
                        e = entry_for_object(c)
                        if not e:
                            die("archive member %s has no compile command" % c)
                        obj = units[add_unit(e, c)]["object"]
                        if obj not in link_args:
                            link_args.append(obj)
                    continue
            if len(cands) != 1:
                die("archive member %s(%s) maps to %d objects" % (os.path.relpath(p, tree), mem, len(cands)))
            e = entry_for_object(cands[0])
            if not e:
                die("archive member %s has no compile command" % mem)
            u = add_unit(e, cands[0])
            obj = units[u]["object"]
            if obj not in link_args:
                link_args.append(obj)

    i = 1
    while i < len(largv):
        x = largv[i]
        if x == "-o":
            i += 2; continue
        if x.startswith("-l") or x == "-l":
            lib = largv[i + 1] if x == "-l" else x[2:]
            step = 2 if x == "-l" else 1
            want = lib[1:] if lib.startswith(":") else "lib%s.a" % lib
            arcs = [p for p in used_members if p.startswith(tree) and os.path.basename(p) == want]
            if arcs:
                flatten(arcs[0])
            elif not any(os.path.exists(os.path.join(d, want)) for d in tree_libdirs):
                link_args += largv[i:i + step]
            # else: an archive of the build from which the link pulled nothing: dropped with its -L
            i += step; continue
        if x.startswith("-") or x.startswith("@"):
            if x == "-L" and absp(lcwd, largv[i + 1]).startswith(tree):
                i += 2; continue
            if x in ("-L", "-z", "-Xlinker", "-T", "-u", "-e"):
                link_args += [x, largv[i + 1]]; i += 2; continue
            if x.startswith("-L"):
                p = absp(lcwd, x[2:])
                if p.startswith(tree):   # the build's own library folders: their archives are flattened
                    i += 1; continue
            link_args.append(x); i += 1; continue
        p = absp(lcwd, x)
        if x.endswith(".c"):
            es = [e for e in by_output.get(binary, []) if absp(e["directory"], e["file"]) == p]
            if not es:
                die("the link compiles %s but compile_commands.json has no entry for it" % x)
            u = add_unit(es[0], "src:" + p)
            link_args.append(units[u]["object"])
        elif x.endswith(".o") or x.endswith(".lo"):
            e = entry_for_object(p)
            if not e:
                die("object %s has no compile command (assembled or prebuilt?)" % os.path.relpath(p, tree))
            u = add_unit(e, p)
            link_args.append(units[u]["object"])
        elif x.endswith(".a") and p.startswith(tree):
            flatten(p)
        elif p.startswith(tree) and (x.endswith(".so") or ".so." in x):
            die("links a shared library of the build (%s): configure with static libraries" % x)
        else:
            link_args.append(x)
        i += 1
    if not units:
        die("no C units found for %s" % a.binary)
    for p in used_members:
        if p.startswith(tree) and p not in flattened and os.path.realpath(p) not in flattened:
            die("the link pulled members of %s, which the recorded link does not cover" % os.path.relpath(p, tree))
    for p in used_files:
        if p.startswith(tree) and p.endswith(".o") and p not in unit_of_obj:
            die("the link used %s, which the recorded link does not cover" % os.path.relpath(p, tree))

    wl = {"directory": "work", "args": shlex.split(a.args), "stdin": ("work/" + a.stdin) if a.stdin else None,
          "wrapper": a.wrapper or None, "env": dict(RUN_ENV_BASE, **dict(kv.split("=", 1) for kv in a.env if kv)),
          "timeout_seconds": a.timeout}
    if wl["stdin"] and not os.path.exists(os.path.join(out, wl["stdin"])):
        die("stdin file %s was not generated" % wl["stdin"])
    man = {
        "schema": SCHEMA,
        "name": a.name,
        "package": a.package,
        "version": a.version,
        "language": "C",
        "kind": a.kind,
        "build_system": a.build_system,
        "note": a.note or None,
        "original_binary": os.path.relpath(binary, out),
        "units": units,
        "link": {"directory": ".", "arguments": link_args, "output": "bin/" + a.name},
        "workload": wl,
        "expected": None,
        "baseline": None,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "suite.json"), "w") as f:
        json.dump(man, f, indent=1)
    err("  %s: %d units, link %d args" % (a.name, len(units), len(link_args)))


# ---------------------------------------------------------------------------------------------
# rebuild and run
# ---------------------------------------------------------------------------------------------
def load(progdir):
    with open(os.path.join(progdir, "suite.json")) as f:
        return json.load(f)


def compile_unit(progdir, u, extra, objpath, cache_dir):
    d = os.path.normpath(os.path.join(progdir, u["directory"]))
    argv = ["gcc", "-c"] + u["arguments"] + extra + [u["source"], "-o", objpath]
    key = None
    if cache_dir:
        st = os.stat(os.path.join(d, u["source"]))
        key = hashlib.sha256(json.dumps([d, argv[:-1], st.st_size, st.st_mtime_ns]).encode()).hexdigest()[:24]
        c = os.path.join(cache_dir, key + ".o")
        if os.path.exists(c):
            shutil.copyfile(c, objpath)
            return None
    p = subprocess.run(argv, cwd=d, capture_output=True, text=True)
    if p.returncode != 0:
        return "%s: %s" % (u["source"], (p.stderr.strip().splitlines() or ["?"])[-1])
    if key:
        shutil.copyfile(objpath, os.path.join(cache_dir, key + ".o"))
    return None


def rebuild(progdir, man, extra, outdir, jobs=int(os.environ.get("JOBS", "2")), cache=True):
    """Compile every unit with `gcc -c ARGS EXTRA` and link with the recorded arguments."""
    objdir = os.path.join(outdir, "obj")
    os.makedirs(objdir, exist_ok=True)
    cache_dir = os.path.join(progdir, ".objcache") if cache else None
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
    objmap = {}
    for u in man["units"]:
        objmap[u["object"]] = os.path.join(outdir, u["object"])
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        errs = [e for e in ex.map(lambda u: compile_unit(progdir, u, extra, objmap[u["object"]], cache_dir), man["units"]) if e]
    if errs:
        return None, "compile: " + errs[0]
    exe = os.path.join(outdir, man["link"]["output"])
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    largs = [objmap.get(x, x) for x in man["link"]["arguments"]]
    argv = ["gcc"] + largs + extra + ["-o", exe]
    p = subprocess.run(argv, cwd=os.path.join(progdir, man["link"]["directory"]), capture_output=True, text=True)
    if p.returncode != 0:
        lines = p.stderr.strip().splitlines() or ["?"]
        return None, "link: " + next((l for l in lines if "error" in l or "undefined" in l or "cannot" in l), lines[-1])
    return exe, None


def run_workload(progdir, man, exe):
    """Runs the workload once; returns (stdout bytes, exit code, CPU seconds of the process tree)."""
    wl = man["workload"]
    cwd = os.path.join(progdir, wl["directory"])
    argv = [exe] + wl["args"]
    if wl.get("wrapper"):
        argv = ["/bin/sh", os.path.join(progdir, wl["wrapper"])] + argv
    env = dict(os.environ)
    env.update(wl.get("env") or {})
    stdin = open(os.path.join(progdir, wl["stdin"]), "rb") if wl.get("stdin") else subprocess.DEVNULL
    try:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.Popen(argv, cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        try:
            outb, _ = p.communicate(timeout=wl.get("timeout_seconds", 60))
        except subprocess.TimeoutExpired:
            p.kill(); p.communicate()
            return None, "timeout", None
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return outb, p.returncode, cpu


def cmd_baseline(a):
    progdir = os.path.realpath(a.dir)
    man = load(progdir)
    log = open(os.path.join(progdir, "baseline.log"), "w")

    def fail(msg):
        log.write(msg + "\n"); log.close()
        die(msg)

    exe, e = rebuild(progdir, man, ["-O2"], progdir)
    if not exe:
        fail("rebuild at -O2 from the recorded commands failed: " + e)
    runs = []
    for k in range(2):
        o, rc, cpu = run_workload(progdir, man, exe)
        if o is None:
            fail("workload run %d: %s" % (k + 1, rc))
        runs.append((o, rc, cpu))
        log.write("run %d: exit %d, %.3f s CPU, %d bytes of stdout\n" % (k + 1, rc, cpu, len(o)))
    if runs[0][0] != runs[1][0] or runs[0][1] != runs[1][1]:
        fail("output is not deterministic (two runs differ)")
    orig = os.path.normpath(os.path.join(progdir, man["original_binary"]))
    o, rc, cpu = run_workload(progdir, man, orig)
    log.write("build-system binary: exit %s, %s s CPU\n" % (rc, cpu))
    if o != runs[0][0] or rc != runs[0][1]:
        fail("the build system's own binary gives a different output than the rebuilt one")
    if not runs[0][0].strip():
        fail("the workload prints nothing: there is no output to check")
    if b"d41d8cd98f00b204e9800998ecf8427e" in runs[0][0]:
        fail("the output holds the MD5 of nothing: a step of the workload wrote no output")
    if len(runs[0][0]) > 4 << 20:
        fail("stdout is %d bytes; make the wrapper print a checksum" % len(runs[0][0]))
    with open(os.path.join(progdir, "expected.stdout"), "wb") as f:
        f.write(runs[0][0])
    cpus = sorted(r[2] for r in runs)
    man["expected"] = {"stdout": "expected.stdout", "exit_code": runs[0][1]}
    man["baseline"] = {"flags": ["-O2"], "cpu_seconds": round(cpus[0], 3), "cpu_seconds_runs": [round(r[2], 3) for r in runs],
                       "original_binary_cpu_seconds": round(cpu, 3),
                       "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(os.path.join(progdir, "suite.json"), "w") as f:
        json.dump(man, f, indent=1)
    log.close()
    note = "" if 0.3 <= cpus[0] <= 3.0 else "  (outside 0.3-3 s)"
    err("  %s: %d units, exit %d, %.2f s CPU at -O2%s" % (man["name"], len(man["units"]), runs[0][1], cpus[0], note))


def programs(suite, names):
    res = []
    for n in sorted(os.listdir(suite)):
        d = os.path.join(suite, n)
        if os.path.isfile(os.path.join(d, "suite.json")) and (not names or n in names):
            res.append(d)
    return res


def cmd_index(a):
    suite = os.path.realpath(a.suite)
    items = []
    for d in programs(suite, None):
        m = load(d)
        items.append({"name": m["name"], "package": m["package"], "version": m["version"], "kind": m["kind"],
                      "build_system": m["build_system"], "units": len(m["units"]),
                      "cpu_seconds_O2": (m.get("baseline") or {}).get("cpu_seconds"),
                      "ready": bool(m.get("expected"))})
    with open(os.path.join(suite, "suite-index.json"), "w") as f:
        json.dump({"schema": SCHEMA, "programs": items}, f, indent=1)
    for it in items:
        print("%-22s %-16s %-12s %-10s %4d %8s %s" % (it["name"], it["package"], it["kind"], it["build_system"], it["units"],
                                                    it["cpu_seconds_O2"], "ready" if it["ready"] else "NOT READY"))


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    r = sp.add_parser("record")
    for k in ("name", "out", "tree", "events", "compile-commands", "binary", "package", "version", "kind", "build-system"):
        r.add_argument("--" + k, required=True)
    r.add_argument("--args", default="")
    r.add_argument("--stdin", default="")
    r.add_argument("--wrapper", default="")
    r.add_argument("--env", action="append", default=[])
    r.add_argument("--timeout", type=int, default=60)
    r.add_argument("--note", default="")
    b = sp.add_parser("baseline"); b.add_argument("dir")
    i = sp.add_parser("index"); i.add_argument("suite")
    a = ap.parse_args()
    if a.cmd == "record":
        cmd_record(a)
    elif a.cmd == "baseline":
        cmd_baseline(a)
    elif a.cmd == "index":
        cmd_index(a)


if __name__ == "__main__":
    main()
