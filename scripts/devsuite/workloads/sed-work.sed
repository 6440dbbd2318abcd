s/\b([A-Z][a-z]+) ([A-Z][a-z]+)\b/\2, \1/g
s/([aeiou])\1+/<\1>/g
s/\b(th|qu|ch)([a-z]*)(ing|ion)\b/\3-\2-\1/g
y/abcdefghij/ABCDEFGHIJ/
s/[0-9]{3,}/#&#/g
/^$/d
s/  +/ /g
s/^(.{0,20})(.*)$/\2|\1/
