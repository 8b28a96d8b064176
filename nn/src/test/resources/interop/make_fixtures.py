"""Writes the PyTorch fixtures that PyTorchInteropTest reads: two models' state dicts and their outputs for
a fixed input, and one tensor of each stored type. Run once by hand, from this directory:

    /usr/bin/python3 make_fixtures.py

with PyTorch 1.13 (CPU) and NumPy; the build never runs it. The files are committed beside it.
"""
import math

import torch
from torch import nn

from safetensors_format import save


class Recurrent(nn.Module):
    """Embedding, a 2-layer LSTM, self-attention, LayerNorm, a GRU and a Linear, under Sequential's names (0.weight, 1.weight_ih_l0, ...)."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Embedding(12, 8), nn.LSTM(8, 16, num_layers=2, batch_first=True),
                                    nn.MultiheadAttention(16, 4, batch_first=True), nn.LayerNorm(16),
                                    nn.GRU(16, 6, batch_first=True), nn.Linear(6, 3))

    def forward(self, tokens):
        emb, lstm, mha, norm, gru, out = self.layers
        x, _ = lstm(emb(tokens))
        x, _ = mha(x, x, x, need_weights=False)
        x, _ = gru(norm(x))
        return out(x)

    def state_dict(self, *args, **kwargs):
        return self.layers.state_dict(*args, **kwargs)

    def load_state_dict(self, state, strict=True):
        return self.layers.load_state_dict(state, strict)


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.BatchNorm1d(8), nn.Linear(8, 3))


def main():
    torch.manual_seed(0)
    model = mlp()
    model.train()
    with torch.no_grad():
        for _ in range(3):  # running statistics and num_batches_tracked = 3, as a trained model has them
            model(torch.randn(16, 4) * 2 + 1)
    model.eval()
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    save("mlp_batchnorm.safetensors", model.state_dict(), {"format": "pt"})
    save("mlp_batchnorm_io.safetensors", {"input": x, "output": y})

    torch.manual_seed(1)
    model = Recurrent().eval()
    tokens = torch.randint(0, 12, (2, 5))
    with torch.no_grad():
        y = model(tokens)
    save("recurrent.safetensors", model.state_dict(), {"format": "pt"})
    save("recurrent_io.safetensors", {"input": tokens, "output": y})

    save("dtypes.safetensors", {
        "f64": torch.tensor([math.pi, -0.0, 1e308, 5e-324], dtype=torch.float64),
        "f32": torch.tensor([0.1, -3.4028234663852886e38, 1.401298464324817e-45], dtype=torch.float32),
        "f16": torch.tensor([1, -2.5, 65504, 2 ** -24], dtype=torch.float16),
        "bf16": torch.tensor([1, 3.140625, -2.0 ** 127], dtype=torch.bfloat16),
        "i64": torch.tensor([-(2 ** 53), 2 ** 53, -1, 0], dtype=torch.int64),
        "i32": torch.arange(6, dtype=torch.int32).reshape(2, 3) * 1000 - 2 ** 31 + 1,
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.arange(256, dtype=torch.uint8),
        "bool": torch.tensor([[False, True], [True, False]]),
        "scalar": torch.tensor(7, dtype=torch.int64),
    })


if __name__ == "__main__":
    main()
