# expect-verbatim: 0
	.text
f:
	vpcmpd $0, %zmm1, %zmm0, %k0
	vpcmpd $3, %zmm1, %zmm0, %k1
	vpcmpud $7, %zmm1, %zmm0, %k2
	vpcmpb $0, %zmm1, %zmm0, %k3
	vcmpps $5, %ymm1, %ymm2, %ymm3
	cmpltsd %xmm1, %xmm0
	vpcmpeqd %zmm1, %zmm0, %k4{%k1}
	ret
