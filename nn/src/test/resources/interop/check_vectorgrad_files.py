"""Checks the safetensors files Vectorgrad writes against PyTorch: the format's rules (by safetensors_format.load)
and the outputs. Run by hand, never by the build, after PyTorchInteropTest has written them:

    mvn -B test -pl nn -am -Dtest=PyTorchInteropTest -Dsurefire.failIfNoSpecifiedTests=false
    /usr/bin/python3 nn/src/test/resources/interop/check_vectorgrad_files.py nn/target/interop

For each architecture it loads our state dict (strictly) into PyTorch's model, runs our input through it
and compares the output with ours; it prints one line each and exits with status 1 if anything differs.
"""
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import Recurrent, mlp  # noqa: E402
from safetensors_format import load  # noqa: E402

TOLERANCE = 1e-5


def check(directory, name, model):
    path = os.path.join(directory, f"vectorgrad_{name}.safetensors")
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
    assert (8 + n) % 8 == 0, f"{path}: the data does not start 8-byte aligned"
    state, metadata = load(path)
    assert all(t.dtype in (torch.float32, torch.float64) for t in state.values()), "our writer writes F32 and F64"
    model.load_state_dict(state, strict=True)
    model.eval()
    io, _ = load(os.path.join(directory, f"vectorgrad_{name}_io.safetensors"))
    x = io["input"]
    if name == "recurrent":
        x = x.long()
    with torch.no_grad():
        ours, theirs = io["output"], model(x)
    difference = (ours.double() - theirs.double()).abs().max().item()
    print(f"{name}: {len(state)} tensors, metadata {metadata}, largest difference from PyTorch {difference:.3g}")
    return difference <= TOLERANCE


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "nn/target/interop"
    ok = check(directory, "mlp_batchnorm", mlp()) and check(directory, "recurrent", Recurrent())
    print(("all within " if ok else "NOT all within ") + str(TOLERANCE))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
