# expect-verbatim: 0
	.text
f:
	fsubp %st, %st(1)
	fsubrp %st, %st(1)
	fdivp %st, %st(1)
	fdivrp %st, %st(1)
	fsub %st(2), %st
	fsubr %st, %st(3)
	fldt 16(%rsp)
	fstpt (%rdi)
	ret
