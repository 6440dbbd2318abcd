# expect-verbatim: 3
	.text
f:
	xacquire xchgl (%rdi), %eax
	xrelease movl $0, (%rdi)
	lock xacquire xaddl %eax, (%rdi)
	lock cmpxchgl %ecx, (%rdi)
	ret
