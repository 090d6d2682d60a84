#!/usr/bin/env bash
# Measures seconds per training epoch of the default MNIST VAE, alternating with a second command
# (e.g. the PyTorch reference script) so that both see the same state of a shared machine. Timings
# on a small machine vary by ±20% from run to run, so compare medians of several rounds, never two
# single runs.
#
# Usage: scripts/epoch-times.sh [rounds] [other command...]
#
# Each round trains `bin/vae train --epochs 3 --no-pictures` into a temporary run and prints its
# epoch lines (the first epoch includes the JIT's warm-up; compare epochs 2-3), then runs the other
# command, if given, unchanged. The other command runs without the OMP_WAIT_POLICY=PASSIVE that
# bin/vae sets for itself: a PyTorch script under a passive OpenMP wait policy runs about twice as
# slowly as under its default, which would flatter this framework.
#
# Example, with the reference script's own options for the same model:
#   scripts/epoch-times.sh 4 python3 vae_mnist.py --threads 2 --binarize dynamic --epochs 3 --iw-samples 0
set -euo pipefail

here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
rounds="${1:-3}"
shift || true
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT

for ((round = 1; round <= rounds; round++)); do
  rm -rf "$run/r"
  "$here/bin/vae" train --epochs 3 --no-pictures --run "$run/r" 2>/dev/null | grep '^epoch' | sed "s/^/round $round vae: /"
  if [ "$#" -gt 0 ]; then
    env -u OMP_WAIT_POLICY "$@" 2>&1 | grep '^epoch' | sed "s/^/round $round other: /"
  fi
done
