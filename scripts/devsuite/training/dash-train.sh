# training input: shell arithmetic, strings and functions with other loops than the timed script
tri() { n=$1; t=0; while [ $n -gt 0 ]; do t=$((t + n)); n=$((n - 1)); done; echo $t; }
i=0; s=1
while [ $i -lt 25000 ]; do
  s=$(( (s * 17 + i) % 999983 ))
  case $((i % 3)) in 0) s=$((s + 3));; *) s=$((s ^ 127));; esac
  i=$((i + 1))
done
echo "sum $s"
j=0; t=0
while [ $j -lt 1500 ]; do t=$((t + $(tri $((j % 40))))); j=$((j + 1)); done
echo "tri $t"
str=""; k=0
while [ $k -lt 1200 ]; do str="$str${k%?}x"; k=$((k + 1)); done
echo "len ${#str}"
set -- $(echo "$str" | tr 'x' ' ')
echo "fields $#"
