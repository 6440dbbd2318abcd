#!/usr/bin/env bash
# Trains the shipped variant policy from the measured variant dataset, in one command:
#   bash scripts/train-variants.sh [DATASET]          (default: .cache/variants/dataset.json)
# DATASET is what `compilerllm variants SUITE --out FILE` wrote. The trainer cross-validates by program (5 folds;
# TRAIN_VARIANTS_ARGS="--loo" for leave-one-out: minutes per dozen programs here), runs the ablation (full, −CG-MN, −surprise, −both over 3 seeds),
# writes .cache/variants/train/{report.md,assignments.json,variants.onnx} and the model trained on every program to
# src/Runtime/Variants/Model/variants.onnx with MODEL_CARD.md beside it (the engine loads it from beside its
# assembly: the Runtime project copies it there). It refuses a dataset marked synthetic. Then let the harness
# measure the assignments: `compilerllm variants SUITE --assignments .cache/variants/train/assignments.json`.
set -euo pipefail
cd "$(dirname "$0")/.."

dataset="${1:-.cache/variants/dataset.json}"
[ -f "$dataset" ] || { echo "train-variants.sh: no dataset at $dataset (run: compilerllm variants SUITE --out $dataset)" >&2; exit 2; }
bash scripts/setup.sh >/dev/null
dotnet build src/Policy -c Release -v q -nologo
# shellcheck disable=SC2086 # TRAIN_VARIANTS_ARGS is a list of options
dotnet src/Policy/bin/Release/net10.0/compilerllm-train.dll train-variants --dataset "$dataset" --out .cache/variants/train \
  --model src/Runtime/Variants/Model/variants.onnx ${TRAIN_VARIANTS_ARGS:---folds 5}
