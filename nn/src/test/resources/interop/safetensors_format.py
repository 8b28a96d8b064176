"""The safetensors format written and read with the standard library and NumPy, for PyTorch 1.13, which
has no safetensors package: an 8-byte little-endian header length, a JSON header (each tensor's dtype,
shape and data_offsets, and an optional __metadata__ of strings), then the raw little-endian data.

Used by make_fixtures.py and check_vectorgrad_files.py, which are run by hand (see README.md); the build
never runs Python.
"""
import json
import struct
import sys

import numpy as np
import torch

assert sys.byteorder == "little", "NumPy's native bytes are written as they are: this must run on a little-endian machine"

NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}
NUMPY = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.int16, "I64": np.int64, "I32": np.int32,
         "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def raw_bytes(t):
    t = t.detach().contiguous().cpu()
    # NumPy has no bfloat16: its bits travel as int16.
    return (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()


def save(path, tensors, metadata=None):
    """Writes tensors (a dict, in its order) and metadata (a dict of strings) to path."""
    header = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name, t in tensors.items():
        raw = raw_bytes(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(len(text) + 8) % 8)  # the data starts 8-byte aligned, as the reference writer has it
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def load(path):
    """The tensors and metadata of path, checking the format's rules on the way (AssertionError if broken)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length beyond the file"
    pairs = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=lambda kv: kv)
    assert len({k for k, _ in pairs}) == len(pairs), "duplicate keys"
    header = dict(pairs)
    metadata = dict(header.pop("__metadata__", []))
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    start, end, tensors = 8 + n, 0, {}
    for name, info in sorted(header.items(), key=lambda kv: dict(kv[1])["data_offsets"]):
        info = dict(info)
        assert set(info) == {"dtype", "shape", "data_offsets"}, f"{name}: fields {set(info)}"
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name} starts at {begin}, expected {end}"
        dtype = NUMPY[info["dtype"]]
        assert stop - begin == int(np.prod(info["shape"], dtype=np.int64)) * np.dtype(dtype).itemsize, f"{name}: size"
        array = np.frombuffer(data[start + begin:start + stop], dtype=dtype).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
        if info["dtype"] == "BF16":
            tensors[name] = tensors[name].view(torch.bfloat16)
        end = stop
    assert start + end == len(data), "the tensors do not cover the data"
    return tensors, metadata
