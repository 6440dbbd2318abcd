# expect-verbatim: 0
	.text
f:
	movl $.LC0, ptr(%rip)
	movq $.LC0+4, .LC0+8(%rip)
	ret
	.data
ptr:
	.long 0
	.section .rodata
.LC0:
	.zero 16
