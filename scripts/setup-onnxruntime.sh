#!/usr/bin/env bash
# Idempotent: fetch the official ONNX Runtime native library (linux-x64) for the managed
# P/Invoke binding in src/Runtime/Inference/OnnxRuntime/. The NuGet mirror here has no
# Microsoft.ML.OnnxRuntime, so the library is taken from the npm package onnxruntime-node,
# which ships the same libonnxruntime.so.1. Only that one file is extracted (it needs no
# sibling .so: its NEEDED entries are glibc/libstdc++/libgcc only) into
# tools/onnxruntime/<version>/ (git-ignored; never commit the binary) and checked against
# the SHA-256 recorded below. Prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.30.0
# sha256 of package/bin/napi-v6/linux/x64/libonnxruntime.so.1 in onnxruntime-node@1.30.0
ORT_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
MEMBER=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
DEST_DIR=tools/onnxruntime/$ORT_VERSION
DEST=$DEST_DIR/libonnxruntime.so.1

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$DEST" ] && [ "$(sha_of "$DEST")" = "$ORT_SHA256" ]; then
  echo "setup-onnxruntime: $DEST present (onnxruntime $ORT_VERSION, sha256 ok)"
  exit 0
fi

command -v npm >/dev/null || { echo "setup-onnxruntime: npm not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null)
tgz=$(ls "$tmp"/onnxruntime-node-*.tgz)
tar -xzf "$tgz" -C "$tmp" "$MEMBER"

actual=$(sha_of "$tmp/$MEMBER")
if [ "$actual" != "$ORT_SHA256" ]; then
  echo "setup-onnxruntime: sha256 mismatch for $MEMBER: got $actual, expected $ORT_SHA256" >&2
  exit 1
fi

mkdir -p "$DEST_DIR"
# Install atomically so a concurrent reader never sees a half-written library.
cp "$tmp/$MEMBER" "$DEST_DIR/.libonnxruntime.so.1.$$"
mv -f "$DEST_DIR/.libonnxruntime.so.1.$$" "$DEST"
echo "setup-onnxruntime: installed $DEST (onnxruntime $ORT_VERSION, $(stat -c %s "$DEST") bytes, sha256 ok)"
