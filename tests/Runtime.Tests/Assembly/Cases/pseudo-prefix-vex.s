# expect-verbatim: 1
	.text
f:
	{vex} vpdpbusd	%ymm2, %ymm1, %ymm0
	ret
