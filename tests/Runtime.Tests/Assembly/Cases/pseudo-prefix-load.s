# expect-verbatim: 1
	.text
f:
	{load} movl %eax, %ecx
	ret
