"""Writes the TorchScript test fixture tiny_denoiser.pt and prints the values the Java test checks.

Run with Debian's python3-torch (apt-get install -y python3-torch), from the diffusion/ folder:
    /usr/bin/python3 src/test/python/make_ts_denoiser.py
The module follows prefstream's denoiser contract: forward(x [B,3,H,W] float32 in [-1,1] space,
t [B] float32 timesteps, tokens [B,L] int64 word ids, 0 = padding) -> predicted noise [B,3,H,W].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 8  # pad, unk and 6 words
torch.manual_seed(0)


class TinyDenoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = nn.GroupNorm(4, 8)
        self.time = nn.Linear(1, 8)
        self.words = nn.Embedding(VOCAB, 8)
        self.conv_out = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x: torch.Tensor, t: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        mask = (tokens != 0).float().unsqueeze(-1)
        pooled = (self.words(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        h = F.silu(self.norm(self.conv_in(x)))
        h = h + (self.time(t.view(-1, 1) / 1000.0) + pooled).view(-1, 8, 1, 1)
        return self.conv_out(h)


def inputs():
    n = 2 * 3 * 16 * 16
    x = torch.arange(n, dtype=torch.float32).mul(0.37).sin().view(2, 3, 16, 16)
    t = torch.tensor([10.0, 500.0])
    tokens = torch.tensor([[2, 3, 0, 0], [5, 1, 4, 0]], dtype=torch.int64)
    return x, t, tokens


module = torch.jit.script(TinyDenoiser())
module.save("src/test/resources/ts/tiny_denoiser.pt")
x, t, tokens = inputs()
out = module(x, t, tokens)
loss = out.square().mean()
loss.backward()
grad_norm = torch.sqrt(sum(p.grad.square().sum() for p in module.parameters()))
print("torch", torch.__version__)
print("out.sum()       = %.6f" % float(out.sum()))
print("out.abs().sum() = %.6f" % float(out.abs().sum()))
print("out[1,2,5,7]    = %.6f" % float(out[1, 2, 5, 7]))
print("mean(out^2)     = %.6f" % float(loss))
print("grad L2 norm    = %.6f" % float(grad_norm))
print("parameters      = %d" % sum(p.numel() for p in module.parameters()))
