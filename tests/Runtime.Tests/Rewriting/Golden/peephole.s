	.text
# rule: mov-zero-to-xor
	.type	mzx_fire, @function
mzx_fire:
	movl	$0, %eax # w
#=> xorl %eax, %eax
	ret
	.size	mzx_fire, .-mzx_fire
	.type	mzx_fire64, @function
mzx_fire64:
	movq	$0, %rdx # w
#=> xorl %edx, %edx
	movq	%rdx, %rax
	ret
	.size	mzx_fire64, .-mzx_fire64
	.type	mzx_keep_flags, @function
mzx_keep_flags:
	cmpl	%esi, %edi
	movl	$0, %eax
	setl	%al
	ret
	.size	mzx_keep_flags, .-mzx_keep_flags
	.type	mzx_keep_partial, @function
mzx_keep_partial:
	movb	$0, %al
	ret
	.size	mzx_keep_partial, .-mzx_keep_partial
# rule: cmp-zero-to-test
	.type	czt_fire, @function
czt_fire:
	cmpl	$0, %edi # w
#=> testl %edi, %edi
	je	.L1
	movl	$1, %eax
	ret
.L1:
	xorl	%eax, %eax
	ret
	.size	czt_fire, .-czt_fire
	.type	czt_keep_memory, @function
czt_keep_memory:
	cmpl	$0, (%rdi)
	sete	%al
	ret
	.size	czt_keep_memory, .-czt_keep_memory
# rule: dead-test-self
	.type	dts_fire, @function
dts_fire:
	testl	%edi, %edi # w
	movl	$1, %eax
	ret
	.size	dts_fire, .-dts_fire
	.type	dts_keep_branch, @function
dts_keep_branch:
	testl	%edi, %edi
	jne	.L2
	movl	$1, %eax
.L2:
	ret
	.size	dts_keep_branch, .-dts_keep_branch
# rule: dead-cmp-imm
	.type	dci_keep_across_call, @function
dci_keep_across_call:
	cmpl	$5, %edi
	jg	.L3
	call	abort
.L3:
	ret
	.size	dci_keep_across_call, .-dci_keep_across_call
# rule: forward-store-to-load
	.type	fsl_fire, @function
fsl_fire:
	movl	%edi, -4(%rbp) # w
	movl	-4(%rbp), %eax # w
#=> movl %edi, -4(%rbp)
#=> movl %edi, %eax
	ret
	.size	fsl_fire, .-fsl_fire
	.type	fsl_keep_other_slot, @function
fsl_keep_other_slot:
	movl	%edi, -4(%rbp)
	movl	-8(%rbp), %eax
	ret
	.size	fsl_keep_other_slot, .-fsl_keep_other_slot
	.type	fsl_keep_global, @function
fsl_keep_global:
	movl	%edi, counter(%rip)
	movl	counter(%rip), %eax
	ret
	.size	fsl_keep_global, .-fsl_keep_global
	.type	fsl_keep_width, @function
fsl_keep_width:
	movl	%edi, -8(%rbp)
	movq	-8(%rbp), %rax
	ret
	.size	fsl_keep_width, .-fsl_keep_width
# rule: reload-after-store-32
	.type	ras_fire, @function
ras_fire:
	movl	%eax, -12(%rbp) # w
	movl	-12(%rbp), %eax # w
#=> movl %eax, -0xc(%rbp)
#=> movl %eax, %eax
	ret
	.size	ras_fire, .-ras_fire
	.type	ras_keep_escaped_frame, @function
ras_keep_escaped_frame:
	leaq	-12(%rbp), %rdi
	movl	%eax, -12(%rbp)
	movl	-12(%rbp), %eax
	ret
	.size	ras_keep_escaped_frame, .-ras_keep_escaped_frame
# rule: reload-after-store
	.type	ras64_fire, @function
ras64_fire:
	movq	%rax, -16(%rbp) # w
	movq	-16(%rbp), %rax # w
#=> movq %rax, -0x10(%rbp)
	ret
	.size	ras64_fire, .-ras64_fire
	.type	ras_keep_cfi_between, @function
ras_keep_cfi_between:
	.cfi_startproc
	movq	%rax, -16(%rbp)
	.cfi_def_cfa_offset 16
	movq	-16(%rbp), %rax
	ret
	.cfi_endproc
	.size	ras_keep_cfi_between, .-ras_keep_cfi_between
# rule: reuse-loaded-value
	.type	rlv_fire, @function
rlv_fire:
	movl	-20(%rbp), %eax # w
	movl	-20(%rbp), %edx # w
#=> movl -0x14(%rbp), %eax
#=> movl %eax, %edx
	addl	%edx, %eax
	ret
	.size	rlv_fire, .-rlv_fire
# rule: repeated-load
	.type	rl_keep_base, @function
rl_keep_base:
	movq	8(%rsp), %rsp
	movq	8(%rsp), %rsp
	ret
	.size	rl_keep_base, .-rl_keep_base
# rule: double-not
	.type	dn_fire, @function
dn_fire:
	notq	%rdi # w
	notq	%rdi # w
	movq	%rdi, %rax
	ret
	.size	dn_fire, .-dn_fire
	.type	dn_keep_32, @function
dn_keep_32:
	notl	%edi
	notl	%edi
	movq	%rdi, %rax
	ret
	.size	dn_keep_32, .-dn_keep_32
# rule: self-move
	.type	sm_keep_32, @function
sm_keep_32:
	movl	%edi, %edi
	movq	%rdi, %rax
	ret
	.size	sm_keep_32, .-sm_keep_32
# rule: move-back
	.type	mb_fire, @function
mb_fire:
	movq	%rdi, %rax # w
	movq	%rax, %rdi # w
#=> movq %rdi, %rax
	ret
	.size	mb_fire, .-mb_fire
