# expect-verbatim: 0
	.text
f:
	movl %es:(%rax), %eax
	nopw %cs:0(%rax,%rax,1)
	leal %fs:8(%rax), %eax
	movq %fs:0, %rax
	movl %gs:16(%rdi), %ecx
	ret
