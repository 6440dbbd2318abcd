# training input for tclsh and jimsh: the same kinds of work as tcl-work.tcl, other sizes and shapes
proc tri {n} { set t 0; for {set i 1} {$i <= $n} {incr i} { incr t $i }; return $t }
proc gcd {a b} { while {$b != 0} { set t [expr {$a % $b}]; set a $b; set b $t }; return $a }
set reps [expr {$argc > 0 ? [lindex $argv 0] : 1}]
for {set rep 0} {$rep < $reps} {incr rep} {
    catch {unset h}
    puts "tri [tri 200000]"
    set g 0
    for {set i 1} {$i < 40000} {incr i} { incr g [gcd [expr {$i * 7919}] [expr {$i * 31 + 5}]] }
    puts "gcd $g"
    set words {}
    for {set i 0} {$i < 40000} {incr i} { lappend words [format "k%05d%s" [expr {($i * 104729) % 99991}] [string repeat z [expr {$i % 3}]]] }
    puts "sorted [lindex [lsort -decreasing $words] 0]"
    set n 0
    foreach w $words { if {[regexp {z$} $w]} { incr n } }
    puts "regexp $n"
    foreach w $words { set k [string index $w 1]; if {[info exists h($k)]} { incr h($k) } else { set h($k) 1 } }
    puts "keys [llength [array names h]]"
    set s [string repeat "abc" 20000]
    puts "map [string length [string map {a AA c {}} $s]]"
}
