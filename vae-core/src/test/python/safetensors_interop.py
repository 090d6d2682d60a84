"""Cross-checks dev.vae.core.io.SafeTensors against the reference safetensors library.

Not part of the Maven build: unit tests never need Python. Run by hand where Python has the
`safetensors` and `numpy` packages:

  python3 safetensors_interop.py fixture DIR
      writes the reference fixtures that SafeTensorsTest reads into DIR
      (src/test/resources/dev/vae/core/io): written-by-python.safetensors, with metadata, and
      written-by-python-no-metadata.safetensors, which the Java writer must reproduce byte for byte

  python3 safetensors_interop.py check DIR
      checks what dev.vae.core.io.InteropWriter (test sources) wrote into DIR: a safetensors file
      and a checkpoint store; exits non-zero on the first mismatch

Both sides compute the same expected values from the same formulas (see expected() below and
InteropWriter.expected()).
"""
import json
import os
import sys

import numpy as np
import safetensors
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def expected():
    return {
        "weights": (np.arange(12, dtype=np.float32) * np.float32(0.5) - np.float32(1.25)).reshape(3, 4),
        "bias": 1.0 / (np.arange(4, dtype=np.float64) + 1.0),
        "counter": np.array(2**40 + 7, dtype=np.int64),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "layer.0/\u540d\u524d": np.array([-0.0, 3.4028235e38], dtype=np.float32),
    }


METADATA = {"note": "h\u00e9llo", "producer": "interop"}


def same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def fixture(out_dir):
    with_meta = os.path.join(out_dir, "written-by-python.safetensors")
    save_file(expected(), with_meta, metadata=METADATA)
    without = os.path.join(out_dir, "written-by-python-no-metadata.safetensors")
    save_file(expected(), without)
    print(f"wrote {with_meta} and {without} with safetensors {safetensors.__version__}")


def check_file(path):
    loaded = load_file(path)
    want = expected()
    assert sorted(loaded) == sorted(want), (sorted(loaded), sorted(want))
    for name, arr in want.items():
        assert same(loaded[name], arr), f"{path}: tensor {name}: {loaded[name]!r} != {arr!r}"
    with safe_open(path, framework="np") as f:
        assert f.metadata() == METADATA, f.metadata()
    print(f"ok: {path}: {len(want)} tensors and metadata match")


def check_store(root):
    latest = open(os.path.join(root, "LATEST"), encoding="utf-8").read().strip()
    d = os.path.join(root, latest)
    state = json.load(open(os.path.join(d, "state.json"), encoding="utf-8"))
    assert state["format"] == "dev.vae.checkpoint" and state["version"] == 1, state
    assert state["step"] == 1200 and state["epoch"] == 3, state
    assert state["rng"]["data"] == {"seed": -7, "offset": 1 << 40}, state["rng"]
    for name, rec in state["files"].items():
        size = os.path.getsize(os.path.join(d, name))
        assert size == rec["bytes"], (name, size, rec)
    params = load_file(os.path.join(d, "parameters.safetensors"))
    want = expected()
    for name in ("weights", "bias"):
        assert same(params[name], want[name]), name
    opt = load_file(os.path.join(d, "optimizer.safetensors"))
    assert same(opt["weights/m"], np.zeros((3, 4), dtype=np.float32)), opt["weights/m"]
    print(f"ok: {d}: state.json, parameters and optimizer state match")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check_file(os.path.join(sys.argv[2], "java-written.safetensors"))
        check_store(os.path.join(sys.argv[2], "checkpoints"))
    else:
        sys.exit(__doc__)
