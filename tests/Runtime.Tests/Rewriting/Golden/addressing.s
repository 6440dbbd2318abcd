	.text
# rule: fold-lea-into-load
	.type	flil_fire, @function
flil_fire:
	leaq	16(%rdi), %rcx # w
	movl	8(%rcx), %eax # w
#=> movl 0x18(%rdi), %eax
	ret
	.size	flil_fire, .-flil_fire
	.type	flil_keep_live, @function
flil_keep_live:
	leaq	16(%rdi), %rcx
	movl	8(%rcx), %eax
	addq	%rcx, %rax
	ret
	.size	flil_keep_live, .-flil_keep_live
# rule: split-three-component-lea
	.type	stcl_fire, @function
stcl_fire:
	leal	7(%rdi,%rsi,4), %eax # w
#=> leal (%rdi,%rsi,4), %eax
#=> addl $7, %eax
	ret
	.size	stcl_fire, .-stcl_fire
	.type	stcl_keep_flags, @function
stcl_keep_flags:
	cmpl	%esi, %edi
	leal	7(%rdi,%rsi,4), %eax
	setl	%al
	ret
	.size	stcl_keep_flags, .-stcl_keep_flags
# rule: break-popcnt-dependency
	.type	bpd_fire, @function
bpd_fire:
	popcntq	%rdi, %rax # w
#=> xorl %eax, %eax
#=> popcntq %rdi, %rax
	ret
	.size	bpd_fire, .-bpd_fire
	.type	bpd_keep_same, @function
bpd_keep_same:
	popcntq	%rax, %rax
	ret
	.size	bpd_keep_same, .-bpd_keep_same
	.data
counter:
	.long	0
