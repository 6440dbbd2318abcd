# expect-verbatim: 4
	.text
f:
	movl	$3, %ecx
	rep
	movsb
	lock
	incl	(%rdi)
	movl	$7, %r8d
	ret
