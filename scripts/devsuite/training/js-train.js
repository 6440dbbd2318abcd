// training input for mujs and duktape: the same kinds of work as js-work.js, other sizes and shapes
function tri(n) { return n === 0 ? 0 : n + tri(n - 1); }
var out = [];
var t = 0;
for (var i = 0; i < 20000; i++) t += tri(i % 30);
out.push("tri " + t);
var a = [];
for (var i = 0; i < 30000; i++) a.push("s" + ((i * 104729) % 30011));
a.sort();
out.push("sorted " + a[0] + " " + a[a.length - 1]);
var m = {};
for (var i = 0; i < 40000; i++) { var k = "key" + (i % 211); m[k] = (m[k] || "") .length > 50 ? "" : (m[k] || "") + "x"; }
out.push("keys " + Object.keys(m).length);
var text = [];
for (var i = 0; i < 3000; i++) text.push("word" + (i % 97) + (i % 5 === 0 ? "ing" : "ed"));
var joined = text.join(" ");
var hits = (joined.match(/\bword[0-9]+ing\b/g) || []).length;
out.push("regexp " + hits + " " + joined.replace(/ed\b/g, "ED").length);
function Pt(x) { this.x = x; }
Pt.prototype.scale = function (k) { return new Pt(this.x * k % 1009); };
var p = new Pt(3);
for (var i = 0; i < 80000; i++) p = p.scale(i % 7 + 1);
out.push("pt " + p.x);
var obj = { list: [] };
for (var i = 0; i < 2000; i++) obj.list.push({ k: "v" + i, n: [i, i * 2] });
out.push("json " + JSON.parse(JSON.stringify(obj)).list[1999].n[1]);
var acc = 7;
for (var i = 0; i < 300000; i++) acc = (acc * 13 + (i & 255)) % 65521;
out.push("acc " + acc);
print(out.join("\n"));
