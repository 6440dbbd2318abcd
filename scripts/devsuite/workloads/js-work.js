// ES5 workload for mujs and duktape: objects, closures, strings, arrays, regexps, JSON
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
var out = [];
out.push("fib " + fib(24));
var a = [];
for (var i = 0; i < 60000; i++) a.push((i * 7919) % 100003);
a.sort(function (x, y) { return x - y; });
out.push("sorted " + a[0] + " " + a[a.length - 1] + " " + a[30000]);
var m = {};
for (var i = 0; i < 60000; i++) { var k = "k" + (i % 997); m[k] = (m[k] || 0) + i; }
var ks = Object.keys(m).sort();
out.push("keys " + ks.length + " " + ks[0] + "=" + m[ks[0]]);
var s = "";
for (var i = 0; i < 5000; i++) s += String.fromCharCode(97 + (i * 13) % 26) + (i % 7 === 0 ? " " : "");
var words = s.split(" ");
var re = /([aeiou])[^aeiou]*\1/;
var hits = 0;
for (var r = 0; r < 20; r++) for (var i = 0; i < words.length; i++) if (re.test(words[i])) hits++;
out.push("regexp " + hits);
function Vec(x, y) { this.x = x; this.y = y; }
Vec.prototype.add = function (o) { return new Vec(this.x + o.x, this.y + o.y); };
var v = new Vec(0, 0);
for (var i = 0; i < 150000; i++) v = v.add(new Vec(i % 3, -(i % 5)));
out.push("vec " + v.x + "," + v.y);
var objs = [];
for (var i = 0; i < 4000; i++) objs.push({ id: i, name: "n" + i, tags: [i % 3, i % 5], nested: { v: i * 1.5 } });
var js = JSON.stringify(objs);
var back = JSON.parse(js);
out.push("json " + js.length + " " + back[3999].nested.v);
var acc = 0;
for (var i = 0; i < 800000; i++) acc = (acc * 31 + (i ^ (i >> 3))) % 1000003;
out.push("acc " + acc);
print(out.join("\n"));
