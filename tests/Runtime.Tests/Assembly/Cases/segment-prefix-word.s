# expect-verbatim: 1
	.text
f:
	ds movl (%rax), %ecx
	ret
