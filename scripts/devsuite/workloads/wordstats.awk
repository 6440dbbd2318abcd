# Word and field statistics over the generated CSV (POSIX awk: runs on gawk, mawk and BWK awk).
BEGIN { FS = "," }
NR == 1 { next }
{
    city[$3]++
    sum[$3] += $6
    if ($5 > maxc[$3]) maxc[$3] = $5
    n = split($8, w, " ")
    for (i = 1; i <= n; i++) {
        words[w[i]]++
        len[length(w[i])]++
        if (w[i] ~ /^(th|qu|ch)[a-z]*(ing|ion|ous)$/) special++
    }
    name = toupper(substr($2, 1, 1)) tolower(substr($2, 2))
    initials[substr(name, 1, 1)]++
    d = $7; gsub(/-/, "", d); dates += d % 97
    line = $0; gsub(/[aeiou]/, "", line); consonants += length(line)
    if (NR % 3 == 0) fmt = fmt sprintf("%05.1f|", $6 % 1000)
    if (length(fmt) > 4000) { chk = (chk * 31 + length(fmt)) % 1000003; fmt = "" }
}
END {
    nc = 0
    for (c in city) keys[++nc] = c
    for (i = 2; i <= nc; i++) { k = keys[i]; for (j = i - 1; j > 0 && keys[j] > k; j--) keys[j + 1] = keys[j]; keys[j + 1] = k }
    for (i = 1; i <= nc; i++) { c = keys[i]; printf "%-12s %7d %14.2f %4d\n", c, city[c], sum[c], maxc[c] }
    # top 25 words by count (ties by word)
    for (t = 1; t <= 25; t++) {
        best = ""; bc = -1
        for (x in words) if (!(x in used) && (words[x] > bc || (words[x] == bc && x < best))) { best = x; bc = words[x] }
        used[best] = 1
        printf "%2d %-16s %d\n", t, best, bc
    }
    for (l = 1; l <= 20; l++) if (l in len) printf "len %2d: %d\n", l, len[l]
    nw = 0; for (x in words) nw++
    printf "distinct words %d, special %d, dates %d, consonants %d, chk %d\n", nw, special, dates, consonants, chk
}
