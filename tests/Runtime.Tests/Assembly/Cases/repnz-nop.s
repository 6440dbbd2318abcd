# expect-verbatim: 0
	.text
f:
	repnz nop
	rep stosq
	rep movsb
	repz cmpsb
	ret
