# expect-verbatim: 1
	.text
f:
	enter $FS, $0
	.set FS, 32
	ret
