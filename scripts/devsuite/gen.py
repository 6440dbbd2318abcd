#!/usr/bin/python3
"""Deterministic text workload generator for the development suite (writes to stdout).

  gen.py text --size 10M --seed S [--lines]     English-like prose (Zipf vocabulary, names, numbers)
  gen.py mixed --size 10M --seed S              compressor input: prose, CSV, tables of numbers, noise, repeats
  gen.py mutate --seed S --rate R               stdin with byte edits (for delta compressors)
  gen.py mutate-lines --seed S --rate R         stdin with line edits (for diff)
  gen.py csv --rows N --seed S                  records: id,name,city,word,int,float,date
  gen.py json --records N --seed S             an array of objects
  gen.py xml --records N --seed S               a catalogue of items
  gen.py html --size N --seed S                 sloppy HTML (unclosed tags, mixed case, tables)
  gen.py markdown --size N --seed S             CommonMark-style document
  gen.py cnf --vars V --ratio R --seed S        random 3-SAT in DIMACS
  gen.py csource --functions N --seed S         C source without #include (for compilers, indenters)
  gen.py asm --lines N --seed S                 NASM source with macros
  gen.py tptp-php --holes N                     pigeon-hole problem in TPTP CNF

Only Python's random.Random with a fixed seed; the output depends only on the arguments.
"""
import random, sys, argparse

COMMON = ("the of and to in a is that for it as was with be by on not he i this are or his from at which but have an they "
          "you were her she there had all one can their been if more when will would who so no out up into what about than "
          "them time could only new some these two may first then do any like other very after most also made over did many "
          "before must through back years where much your way well down should because each just those people how too little "
          "state good very make world still own see men work long get here between both life being under never day same "
          "another know while last might us great old year off come since against go came right used take three question "
          "information theory thinking quality quickly thoroughly nothing something everything although through thought "
          "system program number interest government problem development national company however during without water "
          "children family history education economic political international experience community research").split()
SYL = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi za ze zo qu th sh ch str pl tr ing tion ous ent ly er".split()
CITIES = "Aberdeen Bergen Cork Dresden Eindhoven Florence Graz Helsinki Innsbruck Jena Kiel Lyon Malmo Nantes Oslo Porto Quimper Riga Seville Turin Utrecht Valencia Warsaw Zagreb".split()
FIRST = "Anna Boris Clara David Elena Farid Greta Hugo Ines Jonas Karin Luca Mira Nils Olga Pavel Rosa Sven Tara Ugo Vera Wim Xenia Yuri Zoe".split()


def size_arg(s):
    s = s.strip().upper()
    m = 1
    if s.endswith("K"): m, s = 1 << 10, s[:-1]
    elif s.endswith("M"): m, s = 1 << 20, s[:-1]
    return int(float(s) * m)


class Words:
    def __init__(self, rng, n=6000):
        self.rng = rng
        vocab = list(COMMON)
        seen = set(vocab)
        while len(vocab) < n:
            w = "".join(rng.choice(SYL) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
            if w not in seen:
                seen.add(w); vocab.append(w)
        self.vocab = vocab
        weights = [1.0 / (i + 1) ** 1.05 for i in range(len(vocab))]
        acc, t = [], 0.0
        for w in weights:
            t += w; acc.append(t)
        self.cum = acc

    def batch(self, k):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def sentence(self):
        n = self.rng.randint(4, 22)
        ws = self.batch(n)
        r = self.rng.random()
        if r < 0.15:
            ws[self.rng.randrange(n)] = self.rng.choice(FIRST) + " " + self.rng.choice(CITIES)
        elif r < 0.3:
            ws[self.rng.randrange(n)] = str(self.rng.randint(0, 99999))
        if self.rng.random() < 0.2:
            ws.insert(self.rng.randrange(n), ",")
        s = " ".join(ws).replace(" ,", ",")
        return s[0].upper() + s[1:] + self.rng.choice(".....?!;:")


def emit(out, parts, limit):
    data = "".join(parts).encode()
    out.write(data[:limit])


def prose(rng, size, lines):
    w = Words(rng)
    parts, total, line = [], 0, []
    col = 0
    while total < size:
        s = w.sentence() + " "
        if lines:
            for tok in s.split(" "):
                if not tok:
                    continue
                if col + len(tok) > 72:
                    parts.append(" ".join(line) + "\n"); total += col + 1; line, col = [], 0
                line.append(tok); col += len(tok) + 1
            if rng.random() < 0.08:
                parts.append(" ".join(line) + "\n\n"); total += col + 2; line, col = [], 0
        else:
            parts.append(s); total += len(s)
            if rng.random() < 0.1:
                parts.append("\n\n"); total += 2
            elif rng.random() < 0.2:
                parts.append("\n"); total += 1
    if line:
        parts.append(" ".join(line) + "\n")
    return parts


def cmd_text(a):
    rng = random.Random(a.seed)
    emit(sys.stdout.buffer, prose(rng, size_arg(a.size), a.lines), size_arg(a.size))


def cmd_mixed(a):
    rng = random.Random(a.seed)
    size = size_arg(a.size)
    w = Words(rng)
    out, total = [], 0
    while total < size:
        r = rng.random()
        if r < 0.40:
            b = " ".join(w.sentence() for _ in range(rng.randint(5, 40))).encode() + b"\n"
        elif r < 0.60:
            rows = []
            for i in range(rng.randint(20, 200)):
                rows.append("%d,%s,%s,%d,%.3f,%s\n" % (rng.randint(1, 10 ** 6), rng.choice(FIRST), rng.choice(CITIES),
                                                       rng.randint(0, 500), rng.random() * 1000, w.batch(1)[0]))
            b = "".join(rows).encode()
        elif r < 0.78:
            v = rng.randint(0, 1 << 20)
            arr = bytearray()
            for i in range(rng.randint(500, 4000)):
                v = (v + rng.randint(-40, 60)) & 0xFFFFFFFF
                arr += v.to_bytes(4, "little")
            b = bytes(arr)
        elif r < 0.83:
            b = rng.randbytes(rng.randint(200, 3000))
        elif r < 0.88:
            b = bytes([rng.randrange(256)]) * rng.randint(10, 2000)
        else:
            if not out:
                continue
            src = out[rng.randrange(max(0, len(out) - 50), len(out))]
            st = rng.randrange(len(src))
            b = src[st:st + rng.randint(100, 20000)]
        out.append(b); total += len(b)
    sys.stdout.buffer.write(b"".join(out)[:size])


def cmd_mutate(a):
    rng = random.Random(a.seed)
    data = bytearray(sys.stdin.buffer.read())
    n = int(len(data) * a.rate)
    for _ in range(n):
        p = rng.randrange(len(data))
        r = rng.random()
        if r < 0.5:
            data[p] = rng.randrange(256)
        elif r < 0.75:
            data[p:p] = rng.randbytes(rng.randint(1, 40))
        else:
            del data[p:p + rng.randint(1, 40)]
    sys.stdout.buffer.write(bytes(data))


def cmd_mutate_lines(a):
    rng = random.Random(a.seed)
    lines = sys.stdin.buffer.read().split(b"\n")
    out = []
    w = Words(rng, 2000)
    for ln in lines:
        r = rng.random()
        if r < a.rate / 3:
            continue
        elif r < 2 * a.rate / 3:
            out.append(ln)
            out.append(w.sentence().encode())
        elif r < a.rate:
            ws = ln.split(b" ")
            if ws:
                ws[rng.randrange(len(ws))] = w.batch(1)[0].encode()
            out.append(b" ".join(ws))
        else:
            out.append(ln)
    sys.stdout.buffer.write(b"\n".join(out))


def cmd_csv(a):
    rng = random.Random(a.seed)
    w = Words(rng, 3000)
    o = sys.stdout
    o.write("id,name,city,word,count,price,date,comment\n")
    rows = []
    for i in range(a.rows):
        rows.append("%d,%s %s,%s,%s,%d,%.2f,20%02d-%02d-%02d,%s\n" % (
            i + 1, rng.choice(FIRST), w.batch(1)[0].capitalize(), rng.choice(CITIES), w.batch(1)[0], rng.randint(0, 999),
            rng.random() * 500, rng.randint(0, 25), rng.randint(1, 12), rng.randint(1, 28), " ".join(w.batch(rng.randint(2, 9)))))
        if len(rows) > 5000:
            o.write("".join(rows)); rows = []
    o.write("".join(rows))


def cmd_json(a):
    rng = random.Random(a.seed)
    w = Words(rng, 3000)
    o = sys.stdout
    o.write("[\n")
    for i in range(a.records):
        tags = ", ".join('"%s"' % t for t in w.batch(rng.randint(0, 6)))
        o.write('{"id": %d, "name": "%s %s", "city": "%s", "score": %d, "ratio": %.4f, "active": %s, "tags": [%s], '
                '"pos": {"x": %d, "y": %d, "z": %.2f}, "note": "%s"}%s\n' % (
                    i, rng.choice(FIRST), w.batch(1)[0].capitalize(), rng.choice(CITIES), rng.randint(0, 100), rng.random(),
                    "true" if rng.random() < 0.5 else "false", tags, rng.randint(-1000, 1000), rng.randint(-1000, 1000),
                    rng.random() * 100, " ".join(w.batch(rng.randint(3, 15))), "," if i + 1 < a.records else ""))
    o.write("]\n")


def cmd_xml(a):
    rng = random.Random(a.seed)
    w = Words(rng, 3000)
    o = sys.stdout
    o.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE catalog [\n<!ENTITY co "Devsuite &amp; Co">\n]>\n<catalog>\n')
    buf = []
    for i in range(a.records):
        buf.append('  <item id="i%d" category="%s" stock="%d">\n    <name>%s %s</name>\n    <price currency="EUR">%.2f</price>\n'
                   '    <desc>%s <b>%s</b> &co; %s</desc>\n    <!-- %s -->\n    <tags>%s</tags>\n  </item>\n' % (
                       i, rng.choice(CITIES), rng.randint(0, 50), rng.choice(FIRST), w.batch(1)[0], rng.random() * 100,
                       " ".join(w.batch(rng.randint(4, 20))), w.batch(1)[0], " ".join(w.batch(rng.randint(0, 8))),
                       w.batch(1)[0], "".join("<tag>%s</tag>" % t for t in w.batch(rng.randint(0, 4)))))
        if len(buf) > 2000:
            o.write("".join(buf)); buf = []
    o.write("".join(buf))
    o.write("</catalog>\n")


def cmd_html(a):
    rng = random.Random(a.seed)
    w = Words(rng, 3000)
    size = size_arg(a.size)
    parts = ["<html><head><title>Devsuite</title></head><BODY bgcolor=white>\n"]
    total = 0
    while total < size:
        r = rng.random()
        if r < 0.35:
            s = "<p>%s <B>%s</b> <i>%s\n" % (w.sentence(), w.sentence(), " ".join(w.batch(5)))
        elif r < 0.5:
            s = "<ul>" + "".join("<li>%s" % w.sentence() for _ in range(rng.randint(2, 8))) + "</ul>\n"
        elif r < 0.65:
            s = "<table border=1>" + "".join("<tr>" + "".join("<td>%s" % w.batch(1)[0] for _ in range(4)) for _ in range(rng.randint(2, 10))) + "</table>\n"
        elif r < 0.75:
            s = '<a href=page%d.html title="%s">%s</A> &amp; &nbsp; &copy; <br>\n' % (rng.randint(1, 999), w.batch(1)[0], w.sentence())
        elif r < 0.85:
            s = "<div class=c%d><span style='color:red'>%s</span><font size=2>%s</div>\n" % (rng.randint(1, 9), w.sentence(), w.sentence())
        else:
            s = "<h%d>%s</h%d>\n<center><img src=x%d.png alt=%s></center>\n" % (rng.randint(1, 4), w.sentence(), rng.randint(1, 4), rng.randint(0, 99), w.batch(1)[0])
        parts.append(s); total += len(s)
    parts.append("</body></html>\n")
    sys.stdout.write("".join(parts))


def cmd_markdown(a):
    rng = random.Random(a.seed)
    w = Words(rng, 4000)
    size = size_arg(a.size)
    parts, total = [], 0

    def inline():
        ws = w.batch(rng.randint(5, 30))
        for k in range(len(ws)):
            r = rng.random()
            if r < 0.05: ws[k] = "*%s*" % ws[k]
            elif r < 0.08: ws[k] = "**%s**" % ws[k]
            elif r < 0.10: ws[k] = "`%s()`" % ws[k]
            elif r < 0.12: ws[k] = "[%s](http://example.org/%s)" % (ws[k], ws[k])
            elif r < 0.13: ws[k] = "<%s>" % "https://example.com"
            elif r < 0.14: ws[k] = ws[k] + " &amp; \"quoted\""
        return " ".join(ws)

    while total < size:
        r = rng.random()
        if r < 0.08:
            s = "%s %s\n\n" % ("#" * rng.randint(1, 4), inline())
        elif r < 0.5:
            s = "\n".join(inline() for _ in range(rng.randint(1, 6))) + "\n\n"
        elif r < 0.65:
            s = "".join("%s %s\n" % (rng.choice(("-", "*", "1.")), inline()) for _ in range(rng.randint(2, 8))) + "\n"
        elif r < 0.75:
            s = "```\n" + "".join("    x%d = f(%s);\n" % (i, w.batch(1)[0]) for i in range(rng.randint(2, 10))) + "```\n\n"
        elif r < 0.85:
            s = "".join("> %s\n" % inline() for _ in range(rng.randint(1, 4))) + "\n"
        elif r < 0.92:
            s = "    indented code %s\n    more %s\n\n" % (inline(), inline())
        else:
            s = "%s\n%s\n\n" % (inline(), rng.choice(("===", "---")))
        parts.append(s); total += len(s)
    sys.stdout.write("".join(parts))


def cmd_cnf(a):
    rng = random.Random(a.seed)
    m = int(a.vars * a.ratio)
    o = ["p cnf %d %d\n" % (a.vars, m)]
    for _ in range(m):
        vs = rng.sample(range(1, a.vars + 1), 3)
        o.append(" ".join(str(v if rng.random() < 0.5 else -v) for v in vs) + " 0\n")
    sys.stdout.write("".join(o))


def cmd_csource(a):
    rng = random.Random(a.seed)
    o = ["typedef unsigned long size_t;\nstruct pt { int x, y; double w; char name[16]; };\n",
         "static int g_tab[256];\nextern int printf(const char *, ...);\n"]
    ops = ["+", "-", "*", "^", "|", "&", "<<", ">>"]
    fparams = []
    for f in range(a.functions):
        nparams = rng.randint(1, 4)
        fparams.append(nparams)
        params = ", ".join("int p%d" % i for i in range(nparams))
        body = ["    int acc = %d;\n" % rng.randint(0, 100), "    struct pt q = { %d, %d, %.3f, \"n%d\" };\n" % (rng.randint(0, 9), rng.randint(0, 9), rng.random(), f)]
        for s in range(rng.randint(3, 12)):
            r = rng.random()
            pa, pb = "p%d" % rng.randrange(nparams), "p%d" % rng.randrange(nparams)
            if r < 0.3:
                body.append("    for (int i = 0; i < %s %% 17; i++) { acc = acc %s (i %s %s); g_tab[(acc + i) & 255] += q.x; }\n" % (pa, rng.choice(ops[:3]), rng.choice(ops), pb))
            elif r < 0.5:
                body.append("    if (%s > %s) { acc += %s * %d; q.y ^= acc; } else { acc -= %s; q.w *= 1.5; }\n" % (pa, pb, pa, rng.randint(1, 9), pb))
            elif r < 0.7:
                cases = "".join("        case %d: acc %s= %d; break;\n" % (c, rng.choice("+-^|"), rng.randint(1, 99)) for c in range(rng.randint(2, 6)))
                body.append("    switch (%s & 7) {\n%s        default: acc++;\n    }\n" % (pa, cases))
            elif r < 0.85 and f > 0:
                callee = rng.randrange(max(0, f - 50), f)
                body.append("    acc += fn%d(%s);\n" % (callee, ", ".join(rng.choice(("acc", pa, pb, str(rng.randint(0, 9)))) for _ in range(fparams[callee]))))
            else:
                body.append("    acc = (acc %s %s) %s (%s ? %s : %d);\n" % (rng.choice(ops), pa, rng.choice(ops[:4]), pb, pa, rng.randint(0, 1000)))
        o.append("int fn%d(%s)\n{\n%s    return acc + q.x + (int)q.w;\n}\n\n" % (f, params, "".join(body)))
    sys.stdout.write("".join(o))


def cmd_asm(a):
    rng = random.Random(a.seed)
    regs = "rax rbx rcx rdx rsi rdi r8 r9 r10 r11 r12 r13 r14 r15".split()
    regs32 = "eax ebx ecx edx esi edi r8d r9d r10d r11d".split()
    o = ["bits 64\ndefault rel\n%macro mix 3\n    mov %1, %2\n    xor %1, %3\n    rol %1, 7\n    add %1, %2\n%endmacro\n"
         "%macro twice 2\n  %rep 2\n    lea %1, [%1 + %2*2 + 4]\n  %endrep\n%endmacro\n%define K(x) ((x) * 3 + 1)\nsection .text\nglobal start\nstart:\n"]
    n = 0
    lab = fun = 0
    while n < a.lines:
        r = rng.random()
        x, y, z = rng.sample(regs, 3)
        if r < 0.25:
            o.append("    mov %s, %d\n" % (x, rng.randint(-2 ** 31, 2 ** 31 - 1)))
        elif r < 0.45:
            o.append("    %s %s, %s\n" % (rng.choice(("add", "sub", "xor", "and", "or", "cmp", "test", "imul")), x, y))
        elif r < 0.55:
            o.append("    mix %s, %s, %s\n" % (x, y, z))
        elif r < 0.62:
            o.append("    twice %s, %s\n" % (x, y))
        elif r < 0.72:
            o.append("    mov %s, [%s + %s*%d + K(%d)]\n" % (x, y, z, rng.choice((1, 2, 4, 8)), rng.randint(0, 5000)))
        elif r < 0.8:
            lab += 1
            o.append("l%d:\n    dec %s\n    jnz l%d\n" % (lab, rng.choice(regs32), rng.randint(max(1, lab - 20), lab)))
            n += 2
        elif r < 0.86:
            fun += 1
            o.append("f%d:\n    push %s\n    call f%d\n    pop %s\n    ret\n" % (fun, x, rng.randint(1, fun), x))
            n += 4
        elif r < 0.93:
            o.append("    shl %s, %d\n    sar %s, cl\n" % (x, rng.randint(1, 63), y))
        else:
            o.append("    db %s\n" % ", ".join(str(rng.randrange(256)) for _ in range(rng.randint(1, 12))))
        n += 1
    o.append("section .data\ntable: times 1024 dq 0x%x\n" % rng.getrandbits(48))
    sys.stdout.write("".join(o))


def cmd_tptp_php(a):
    h = a.holes
    p = h + 1
    o = ["%% pigeon-hole: %d pigeons, %d holes\n" % (p, h)]
    for i in range(1, p + 1):
        o.append("cnf(pigeon%d, axiom, %s).\n" % (i, " | ".join("in_%d_%d" % (i, j) for j in range(1, h + 1))))
    k = 0
    for j in range(1, h + 1):
        for i1 in range(1, p + 1):
            for i2 in range(i1 + 1, p + 1):
                k += 1
                o.append("cnf(hole%d, axiom, ~in_%d_%d | ~in_%d_%d).\n" % (k, i1, j, i2, j))
    sys.stdout.write("".join(o))


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    for name in ("text", "mixed", "html", "markdown"):
        q = sp.add_parser(name); q.add_argument("--size", required=True); q.add_argument("--seed", type=int, default=1)
        if name == "text": q.add_argument("--lines", action="store_true")
    for name in ("mutate", "mutate-lines"):
        q = sp.add_parser(name); q.add_argument("--seed", type=int, default=1); q.add_argument("--rate", type=float, default=0.01)
    q = sp.add_parser("csv"); q.add_argument("--rows", type=int, required=True); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("json"); q.add_argument("--records", type=int, required=True); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("xml"); q.add_argument("--records", type=int, required=True); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("cnf"); q.add_argument("--vars", type=int, required=True); q.add_argument("--ratio", type=float, default=4.26); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("csource"); q.add_argument("--functions", type=int, required=True); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("asm"); q.add_argument("--lines", type=int, required=True); q.add_argument("--seed", type=int, default=1)
    q = sp.add_parser("tptp-php"); q.add_argument("--holes", type=int, required=True)
    a = ap.parse_args()
    {"text": cmd_text, "mixed": cmd_mixed, "mutate": cmd_mutate, "mutate-lines": cmd_mutate_lines, "csv": cmd_csv,
     "json": cmd_json, "xml": cmd_xml, "html": cmd_html, "markdown": cmd_markdown, "cnf": cmd_cnf, "csource": cmd_csource,
     "asm": cmd_asm, "tptp-php": cmd_tptp_php}[a.cmd](a)


if __name__ == "__main__":
    main()
