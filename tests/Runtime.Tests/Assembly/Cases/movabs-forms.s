# expect-verbatim: 0
	.text
f:
	movabsq $0x123456789abcdef0, %rax
	movabsq $sym, %rdx
	movabsl 0x1122334455667788, %eax
	ret
	.data
sym:
	.quad 0
