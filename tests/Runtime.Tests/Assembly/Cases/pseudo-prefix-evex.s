# expect-verbatim: 1
	.text
f:
	{evex} vpaddd %xmm1, %xmm2, %xmm3
	ret
