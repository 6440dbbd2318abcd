# expect-verbatim: 1
	.text
f:
	{disp32} movl 8(%rax), %eax
	ret
