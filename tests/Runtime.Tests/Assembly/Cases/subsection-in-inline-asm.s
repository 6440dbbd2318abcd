# expect-verbatim: 1
	.text
f:
	#APP
	.subsection 1
	nop
	.subsection 0
	#NO_APP
	movl $2, %eax
	ret
