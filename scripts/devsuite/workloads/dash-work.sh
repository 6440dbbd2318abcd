# Shell arithmetic, string handling and functions (POSIX sh)
fib() { a=0; b=1; n=$1; while [ $n -gt 0 ]; do t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done; echo $a; }
gcd() { x=$1; y=$2; while [ $y -ne 0 ]; do t=$((x % y)); x=$y; y=$t; done; echo $x; }
i=0; s=0
while [ $i -lt 60000 ]; do
  s=$(( (s * 31 + i * i) % 1000003 ))
  case $((i % 5)) in 0) s=$((s + 7));; 1) s=$((s ^ 255));; *) s=$((s + i % 13));; esac
  i=$((i + 1))
done
echo "sum $s"
j=0; g=0
while [ $j -lt 3000 ]; do g=$((g + $(gcd $((j * 7919 + 1)) $((j * 104729 + 3))))); j=$((j + 1)); done
echo "gcd $g"
str=""; k=0
while [ $k -lt 2000 ]; do str="$str${k#?}"; k=$((k + 1)); done
echo "len ${#str}"
set -- $(echo "$str" | tr '0-4' ' ' )
echo "fields $#"
echo "fib $(fib 80)"
