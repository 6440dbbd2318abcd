# expect-verbatim: 1
	.text
f:
	bndldx 0x4e(%rbp), %bnd0
	ret
