# Tcl workload (runs on tclsh 8.6 and jimsh): procs, lists, strings, dicts/arrays, regexps
proc fib {n} { if {$n < 2} { return $n }; expr {[fib [expr {$n - 1}]] + [fib [expr {$n - 2}]]} }
proc sieve {n} {
    set l {}
    for {set i 0} {$i <= $n} {incr i} { lappend l 1 }
    for {set i 2} {$i * $i <= $n} {incr i} {
        if {[lindex $l $i]} { for {set j [expr {$i * $i}]} {$j <= $n} {incr j $i} { lset l $j 0 } }
    }
    set c 0
    for {set i 2} {$i <= $n} {incr i} { if {[lindex $l $i]} { incr c } }
    return $c
}
set reps [expr {$argc > 0 ? [lindex $argv 0] : 1}]
for {set rep 0} {$rep < $reps} {incr rep} {
    catch {unset h}
    puts "fib [fib 24]"
    puts "primes [sieve 500000]"
    set words {}
    for {set i 0} {$i < 100000} {incr i} { lappend words [format "w%x%s" [expr {($i * 7919) % 65521}] [string repeat ab [expr {$i % 4}]]] }
    set sorted [lsort $words]
    puts "first [lindex $sorted 0] last [lindex $sorted end] n [llength $sorted]"
    set count 0
    foreach w $words { if {[regexp {^w[0-9a-f]*[ab]{2,}$} $w]} { incr count } }
    puts "regexp $count"
    foreach w $words { set k [string range $w 0 2]; if {[info exists h($k)]} { incr h($k) } else { set h($k) 1 } }
    set keys [lsort [array names h]]
    puts "keys [llength $keys] [lindex $keys 0]=$h([lindex $keys 0])"
    set s ""
    for {set i 0} {$i < 60000} {incr i} { append s [string toupper [string index "abcdefghij" [expr {$i % 10}]]] }
    puts "map [string length [string map {A x B yy C zzz} $s]]"
    set acc 0
    for {set i 1} {$i < 1500000} {incr i} { set acc [expr {($acc * 3 + $i) % 1000003}] }
    puts "acc $acc"
}
