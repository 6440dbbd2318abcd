#!/usr/bin/env bash
# Compiles each kernel with `gcc -S` at -O2 and at -O3 -march=x86-64-v3 -fPIC
# and checks that the assembly contains what the file is meant to cover.
# Each rule: file~variant~label~extended regex~minimum count  (variant: O2, V3, both)
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
rules='
switch_jumptable~both~indirect jump~jmp[[:space:]]+\*~1
switch_jumptable~both~jump table of labels~\.(long|quad)[[:space:]]+\.L[0-9]+~20
switch_jumptable~O2~switch-conversion table~CSWTCH~1
switch_jumptable~V3~notrack jmp (CET)~notrack[[:space:]]+jmp~1
computed_goto_vm~both~threaded goto *~jmp[[:space:]]+\*~5
state_machine_lexer~both~indirect jump~jmp[[:space:]]+\*~1
simd_autovec~O2~packed SSE~(mulps|addps|divps|paddd|pmulld|pmaddwd|paddusb|cvttps2dq|cvtdq2ps)[[:space:]]~6
simd_autovec~V3~ymm~%ymm~20
simd_avx2_intrinsics~both~ymm FMA~vfmadd[0-9]+ps[[:space:]].*%ymm~1
simd_avx2_intrinsics~both~AVX2 integer~vp(mulld|sadbw|cmpeqb|movmskb)[[:space:]].*%ymm~3
simd_avx2_intrinsics~both~cpu dispatch~__cpu_model~1
x87_long_double~both~x87 loads~fld[tls]?[[:space:]]~10
x87_long_double~both~x87 stores~fstp[tls]?[[:space:]]~10
x87_long_double~both~x87 arith/compare~(fmul|fadd|fsub|fdiv)[rp]*[[:space:]]|fucomi|fcomi~10
x87_long_double~both~x87 int conversion~fi(st|stt|ld)[pqlls]*[[:space:]]~2
varargs_format~both~%al vector count~%al~2
varargs_format~both~register save area~(movaps|vmovaps)[[:space:]]+%xmm[0-7],~8
tls_vars~O2~local-exec %fs~%fs:~5
tls_vars~V3~general dynamic~@tlsgd~1
tls_vars~V3~local dynamic~@tlsld~1
tls_vars~V3~__tls_get_addr~__tls_get_addr~2
struct_copy_return~O2~rep movs~rep[[:space:]]+movs~1
struct_copy_return~V3~block copies~rep[[:space:]]+movs|vmovdqu[[:space:]].*%ymm~4
struct_copy_return~both~sret pointer returned~movq[[:space:]]+%rdi,[[:space:]]*%rax~2
string_ops~both~libc string calls~call[[:space:]]+(strstr|memchr|strtok_r|strchr|strcmp)~4
hashing~both~rotate~(rol|ror|rorx)[lq]?[[:space:]]~2
hashing~both~multiply~imul[lq]?[[:space:]]~4
sorting~both~qsort callback~call[[:space:]]+qsort~2
matmul_stencil~O2~packed double/float~(mulpd|addpd|mulps|addps)[[:space:]]~3
matmul_stencil~V3~ymm~%ymm~10
bit_manip~O2~popcount~popcnt|__popcount~1
bit_manip~V3~popcnt/lzcnt/tzcnt~(popcnt|lzcnt|tzcnt)[lq]?[[:space:]]~3
bit_manip~both~bit scan / count~(bsr|bsf|lzcnt|tzcnt)[lq]?[[:space:]]~1
bit_manip~both~rotate~(rol|ror)[lq]?[[:space:]]~1
bit_manip~both~128-bit multiply~(mulq|mulx)~1
bit_manip~both~bswap~bswap|movbe~1
setjmp_longjmp~both~setjmp~call[[:space:]]+_?setjmp~1
setjmp_longjmp~both~longjmp~call[[:space:]]+longjmp~1
alloca_vla~both~dynamic stack~sub[q]?[[:space:]]+%r[a-z0-9]+,[[:space:]]*%rsp~2
alloca_vla~both~stack realign~and[q]?[[:space:]]+\$-(16|32),[[:space:]]*%r(sp|ax|bx|cx|dx|si|di|[0-9]+)~1
funcptr_indirect~both~indirect call~call[[:space:]]+\*~3
funcptr_indirect~V3~endbr64~endbr64~5
recursion~both~recursive calls~call[[:space:]]+(queens|ackermann|fib|hanoi|permute|partitions|is_)~4
fp_convert_libm~both~cvt instructions~v?cvtt?s[sd]2s[id]|v?cvtsi2s[sd]~8
fp_convert_libm~both~libm calls~call[[:space:]]+(sin|cos|exp|log|pow|cbrt|hypot|tan|atan2)(f)?(@PLT)?$~8
fp_convert_libm~V3~inline rounding~vroundsd~2
narrow_int_arith~both~zero/sign extension~mov(zb|zw|sb|sw)[lwq]?[[:space:]]~10
narrow_int_arith~O2~byte registers~%(al|bl|cl|dl|sil|dil|r[0-9]+b)\b~10
divmod_const_var~both~hardware divide~i?div[lq][[:space:]]~4
divmod_const_var~both~magic multiply~(imul|mul)[lq]?[[:space:]]~6
divmod_const_var~both~128-bit divide (libgcc)~__udiv(mod)?ti[34]|__umodti3~1
unaligned_memcpy~both~byte swap~bswap|movbe~2
unaligned_memcpy~both~16-byte moves~v?mov(dqu|ups|dqa|aps)[[:space:]]~2
'
fail=0
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  gcc -std=gnu11 -O2 -S "$src" -o "$out/$name.O2.s" || { echo "FAIL $name: gcc -S -O2"; fail=1; continue; }
  gcc -std=gnu11 -O3 -march=x86-64-v3 -fPIC -g -fcf-protection -S "$src" -o "$out/$name.V3.s" ||
    { echo "FAIL $name: gcc -S -O3 -march=x86-64-v3 -fPIC"; fail=1; continue; }
  found=0
  while IFS='~' read -r file variant label re min; do
    [ "$file" = "$name" ] || continue
    found=1
    for v in O2 V3; do
      [ "$variant" = both ] || [ "$variant" = "$v" ] || continue
      n=$(grep -cE "$re" "$out/$name.$v.s")
      if [ "$n" -lt "$min" ]; then
        echo "FAIL $name [$v] $label: $n matches of /$re/, need $min"; fail=1
      else
        printf '%-22s %-3s %-26s %5d\n' "$name" "$v" "$label" "$n"
      fi
    done
  done <<<"$rules"
  [ $found = 1 ] || { echo "FAIL $name: no asm rule"; fail=1; }
done
exit $fail
