divert(-1)
define(`forloop', `pushdef(`$1', `$2')_forloop($@)popdef(`$1')')
define(`_forloop', `$4`'ifelse($1, `$3', `', `define(`$1', incr($1))$0($@)')')
define(`fib', `ifelse(eval($1 < 2), 1, $1, `eval(fib(decr($1)) + fib(eval($1 - 2)))')')
define(`collatz', `ifelse($1, 1, $2, `collatz(ifelse(eval($1 % 2), 0, eval($1 / 2), eval(3 * $1 + 1)), incr($2))')')
define(`rev', `ifelse(len($1), 0, `', `rev(substr($1, 1))`'substr($1, 0, 1)')')
define(`cnt', 0)
divert(0)dnl
fib(17)
forloop(`i', 1, 7000, `collatz(i, 0) ')
forloop(`j', 1, 1500, `rev(`the quick brown fox jumps over the lazy dog j') translit(`hello world j', `a-z', `A-Z') ')
forloop(`k', 1, 12000, `define(`cnt', eval(cnt + k * k % 7))')cnt
