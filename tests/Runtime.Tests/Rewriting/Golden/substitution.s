	.text
# rule: add-one-to-inc
	.type	aoi_fire, @function
aoi_fire:
	addl	$1, %edi # w
#=> incl %edi
	movl	%edi, %eax
	ret
	.size	aoi_fire, .-aoi_fire
	.type	aoi_keep_carry, @function
aoi_keep_carry:
	addl	$1, %edi
	adcl	$0, %esi
	movl	%esi, %eax
	ret
	.size	aoi_keep_carry, .-aoi_keep_carry
	.type	aoi_keep_below, @function
aoi_keep_below:
	addq	$1, %rdi
	jb	.L4
	xorl	%eax, %eax
.L4:
	ret
	.size	aoi_keep_below, .-aoi_keep_below
# rule: sub-one-to-dec
	.type	sod_fire_loop, @function
sod_fire_loop:
.L5:
	subl	$1, %edi # w
#=> decl %edi
	jne	.L5
	ret
	.size	sod_fire_loop, .-sod_fire_loop
# rule: imul-to-lea
	.type	itl_fire, @function
itl_fire:
	imull	$5, %edi, %edi # w
#=> leal (%rdi,%rdi,4), %edi
	movl	%edi, %eax
	ret
	.size	itl_fire, .-itl_fire
	.type	itl_keep_seven, @function
itl_keep_seven:
	imull	$7, %edi, %edi
	movl	%edi, %eax
	ret
	.size	itl_keep_seven, .-itl_keep_seven
	.type	itl_keep_overflow, @function
itl_keep_overflow:
	imull	$3, %edi, %edi
	jo	.L6
	movl	%edi, %eax
.L6:
	ret
	.size	itl_keep_overflow, .-itl_keep_overflow
# rule: imul-to-lea-copy
	.type	itlc_fire, @function
itlc_fire:
	imulq	$9, %rsi, %rax # w
#=> leaq (%rsi,%rsi,8), %rax
	ret
	.size	itlc_fire, .-itlc_fire
# rule: imul-pow2-to-shl
	.type	ips_fire, @function
ips_fire:
	imull	$16, %edi, %edi # w
#=> shll $4, %edi
	movl	%edi, %eax
	ret
	.size	ips_fire, .-ips_fire
# rule: and-ff-to-movzx
	.type	afm_fire, @function
afm_fire:
	andl	$255, %edi # w
#=> movzbl %dil, %edi
	movl	%edi, %eax
	ret
	.size	afm_fire, .-afm_fire
	.type	afm_keep_flags, @function
afm_keep_flags:
	andl	$255, %edi
	sete	%al
	ret
	.size	afm_keep_flags, .-afm_keep_flags
# rule: lea-to-add
	.type	lta_fire, @function
lta_fire:
	leaq	(%rdi,%rsi), %rdi # w
#=> addq %rsi, %rdi
	movq	%rdi, %rax
	ret
	.size	lta_fire, .-lta_fire
# rule: shl-one-to-add
	.type	sota_fire, @function
sota_fire:
	sall	%edi # w
#=> addl %edi, %edi
	movl	%edi, %eax
	ret
	.size	sota_fire, .-sota_fire
