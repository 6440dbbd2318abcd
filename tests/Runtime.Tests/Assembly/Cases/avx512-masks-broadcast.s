# expect-verbatim: 0
	.text
f:
	vaddps (%rax){1to16}, %zmm1, %zmm2{%k1}{z}
	vmovdqu32 %zmm0, (%rdi){%k2}
	kmovw %k1, %eax
	ret
