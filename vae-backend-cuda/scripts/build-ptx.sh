#!/usr/bin/env bash
# Regenerates the PTX the CUDA backend ships, from the CUDA sources in src/main/cuda.
#
#   vae-backend-cuda/scripts/build-ptx.sh            # writes src/main/resources/dev/vae/backend/cuda/ptx/*.ptx
#   vae-backend-cuda/scripts/build-ptx.sh OUT_DIR    # writes OUT_DIR/*.ptx instead (the up-to-date test does this)
#
# Needs the CUDA toolkit's nvcc (NVCC=/path/to/nvcc to pick one); users of the backend need only the
# NVIDIA driver. The PTX targets the virtual architecture compute_75, so the driver JIT-compiles it
# for any GPU from Turing (sm_75) on. Its PTX ISA version is the one the nvcc release writes
# (9.0 for CUDA 13.0), and that decides the oldest driver that can load it (580 for ISA 9.0): if
# you regenerate with another nvcc, update KernelAbi.PTX_ISA and MIN_DRIVER_VERSION and the README.
# Flags are fixed (no -lineinfo, no fast math) so that the output depends only on the sources and
# the nvcc release.
set -euo pipefail
module_dir="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="${1:-$module_dir/src/main/resources/dev/vae/backend/cuda/ptx}"
nvcc="${NVCC:-nvcc}"
mkdir -p "$out_dir"
for source in "$module_dir"/src/main/cuda/*.cu; do
  name="$(basename "$source" .cu)"
  "$nvcc" -ptx -arch=compute_75 -O3 -std=c++17 -o "$out_dir/$name.ptx" "$source"
done
