divert(-1)
define(`forloop', `pushdef(`$1', `$2')_forloop($@)popdef(`$1')')
define(`_forloop', `$4`'ifelse($1, `$3', `', `define(`$1', incr($1))$0($@)')')
define(`tri', `ifelse($1, 0, 0, `eval($1 + tri(decr($1)))')')
define(`up', `translit(`$1', `a-z', `A-Z')')
define(`acc', 0)
divert(0)dnl
tri(300)
forloop(`i', 1, 3000, `tri(eval(i % 30)) ')
forloop(`j', 1, 2000, `up(`training input number j') substr(`abcdefghijklmnop', eval(j % 10), 4) ')
forloop(`k', 1, 8000, `define(`acc', eval((acc * 3 + k) % 10007))')acc
