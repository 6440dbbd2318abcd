# expect-verbatim: 0
	.text
f:
	/* a comment that mentions
	.data
	and ends here */
	movl $1, %eax
	ret
