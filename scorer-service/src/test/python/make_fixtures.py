#!/usr/bin/python3
"""Generates the TorchScript scorer test fixtures of scorer-service.

Run from the repository root with Debian's python3-torch (apt-get install python3-torch):

    /usr/bin/python3 scorer-service/src/test/python/make_fixtures.py

Writes to scorer-service/src/test/resources/torchscript/:
  image_encoder.pt    pixels (B,3,16,16) float32 -> embedding (B,8)
  text_encoder.pt     input_ids (B,L) int64, attention_mask (B,L) int64 -> embedding (B,8)
  aesthetic_head.pt   normalised image embedding (B,8) -> score (B,1)
  tokenizer.json      a HuggingFace WordLevel tokenizer with <s> ... </s> and [PAD]=0
  embedding.properties, aesthetic.properties   scorer descriptors with the files' SHA-256
  expected.properties what the Java tests must reproduce: token ids, preprocessed-pixel checksums,
                      similarity and aesthetic scores of the images constructed by image() below

The Java test constructs the same images (TorchScriptFixtures.image) and compares within a tolerance.
Models are random but seeded; re-running rewrites identical expected values (the .pt bytes may
differ between torch versions, so the digests are rewritten too).
"""
import hashlib
import json
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torchscript")
SIZE = 16
DIM = 8
MAX_LENGTH = 12
SCALE = 100.0
MEAN = [0.48145466, 0.4578275, 0.40821073]  # CLIP's
STD = [0.26862954, 0.26130258, 0.27577711]

VOCAB = ["[PAD]", "[UNK]", "<s>", "</s>", "a", "an", "small", "large", "red", "green", "blue",
         "yellow", "circle", "square", "triangle", "at", "the", "top", "bottom", "left", "right",
         "on", "background", "apple", "table", ","]
PROMPTS = [
    "a small red circle at the top left on a blue background",
    "A green apple on a table",
    "a large yellow square at the bottom right on a green background, a red triangle on the left",
]
# (width, height, formula id) of the constructed images; see image()
IMAGES = [(24, 24, 0), (28, 20, 1), (16, 16, 2)]


def image(width, height, kind):
    """Float32 CHW image in [0, 1] from an integer formula the Java test repeats exactly."""
    t = torch.zeros(3, height, width, dtype=torch.float32)
    for c in range(3):
        for y in range(height):
            for x in range(width):
                if kind == 0:
                    v = ((3 * x + 5 * y + 7 * c) % 11) / 10.0
                elif kind == 1:
                    v = ((x * x + 2 * y + 3 * c) % 13) / 12.0
                else:
                    v = ((x + 16 * y + 40 * c) % 256) / 255.0
                t[c, y, x] = v
    return t


def preprocess(img, mode):
    """Shorter side to SIZE (antialiased, like PIL), centre crop, normalise: the Java loader's steps."""
    _, h, w = img.shape
    if h <= w:
        nh, nw = SIZE, int(SIZE * w / h)
    else:
        nh, nw = int(SIZE * h / w), SIZE
    x = F.interpolate(img.unsqueeze(0), size=(nh, nw), mode=mode, align_corners=False,
                      antialias=True)[0]
    top, left = (nh - SIZE) // 2, (nw - SIZE) // 2
    x = x[:, top:top + SIZE, left:left + SIZE]
    mean = torch.tensor(MEAN).to(img.dtype).view(3, 1, 1)  # float32 values, as in the descriptor reader
    std = torch.tensor(STD).to(img.dtype).view(3, 1, 1)
    return (x - mean) / std


def checksum(t):
    """Sum of values weighted by (flat index mod 97) + 1: sensitive to values and positions."""
    flat = t.reshape(-1).double()
    w = (torch.arange(flat.numel(), dtype=torch.float64) % 97) + 1
    return float((flat * w).sum())


def tokenize(prompt):
    """What the WordLevel tokenizer.json does: lowercase, split words/punctuation, add <s> </s>,
    truncate to MAX_LENGTH, pad with [PAD]=0."""
    words = re.findall(r"\w+|[^\w\s]+", prompt.lower())
    ids = [VOCAB.index(w) if w in VOCAB else 1 for w in words][:MAX_LENGTH - 2]
    ids = [2] + ids + [3]
    mask = [1] * len(ids) + [0] * (MAX_LENGTH - len(ids))
    return ids + [0] * (MAX_LENGTH - len(ids)), mask


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.proj = nn.Linear(8 * 4 * 4, DIM)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.conv(pixels))
        return self.proj(F.adaptive_avg_pool2d(h, 4).flatten(1))


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), DIM)
        self.proj = nn.Linear(DIM, DIM)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        m = attention_mask.unsqueeze(-1).to(torch.float32)
        h = (self.emb(input_ids) * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.proj(h)


class AestheticHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(DIM, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, embedding: torch.Tensor) -> torch.Tensor:
        return self.mlp(embedding)


def tokenizer_json():
    special = ["[PAD]", "[UNK]", "<s>", "</s>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}
                         for i, t in enumerate(special)],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "</s>", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [2], "tokens": ["<s>"]},
                               "</s>": {"id": "</s>", "ids": [3], "tokens": ["</s>"]}},
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(VOCAB)},
                  "unk_token": "[UNK]"},
    }


def sha256(name):
    with open(os.path.join(OUT, name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_properties(name, entries):
    with open(os.path.join(OUT, name), "w") as f:
        f.write("# written by scorer-service/src/test/python/make_fixtures.py\n")
        for k, v in entries:
            f.write(f"{k}={v}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    models = {"image_encoder.pt": ImageEncoder(), "text_encoder.pt": TextEncoder(),
              "aesthetic_head.pt": AestheticHead()}
    for name, m in models.items():
        m.eval()
        torch.jit.script(m).save(os.path.join(OUT, name))
    with open(os.path.join(OUT, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(), f, indent=1)

    csv = lambda v: ",".join(repr(x) for x in v)
    image_keys = [("image.size", SIZE), ("image.mean", csv(MEAN)), ("image.std", csv(STD))]
    write_properties("embedding.properties", [
        ("image.model", "image_encoder.pt"), ("image.model.sha256", sha256("image_encoder.pt")),
        *image_keys, ("image.resize", "bilinear"),
        ("text.model", "text_encoder.pt"), ("text.model.sha256", sha256("text_encoder.pt")),
        ("text.tokenizer", "tokenizer.json"), ("text.tokenizer.sha256", sha256("tokenizer.json")),
        ("text.max-length", MAX_LENGTH), ("scale", SCALE)])
    write_properties("aesthetic.properties", [
        ("image.model", "image_encoder.pt"), ("image.model.sha256", sha256("image_encoder.pt")),
        *image_keys, ("image.resize", "bicubic"),
        ("head.model", "aesthetic_head.pt"), ("head.model.sha256", sha256("aesthetic_head.pt")),
        ("head.normalize-input", "true")])

    expected = []
    with torch.no_grad():
        tokens = [tokenize(p) for p in PROMPTS]
        ids = torch.tensor([t[0] for t in tokens], dtype=torch.int64)
        mask = torch.tensor([t[1] for t in tokens], dtype=torch.int64)
        txt = F.normalize(models["text_encoder.pt"](ids, mask), dim=1)
        for p, (i, m) in enumerate(tokens):
            expected.append((f"prompt.{p}.ids", csv(i)))
        imgs = [image(*spec) for spec in IMAGES]
        bilinear = torch.stack([preprocess(im, "bilinear") for im in imgs])
        bicubic = torch.stack([preprocess(im, "bicubic") for im in imgs])
        for k, im in enumerate(imgs):
            # in float64, so the checksums carry no float32 rounding of torch's resampling
            for mode in ("bilinear", "bicubic"):
                value = checksum(preprocess(im.double(), mode))
                expected.append((f"image.{k}.{mode}.checksum", repr(value)))
        emb = F.normalize(models["image_encoder.pt"](bilinear), dim=1)
        sim = SCALE * emb @ txt.T
        for k in range(len(imgs)):
            for p in range(len(PROMPTS)):
                expected.append((f"similarity.{k}.{p}", repr(float(sim[k, p]))))
        aes = models["aesthetic_head.pt"](F.normalize(models["image_encoder.pt"](bicubic), dim=1))
        for k in range(len(imgs)):
            expected.append((f"aesthetic.{k}", repr(float(aes[k, 0]))))
    write_properties("expected.properties", [("torch.version", torch.__version__)] + expected)
    print("wrote fixtures to", os.path.normpath(OUT), "with torch", torch.__version__)


if __name__ == "__main__":
    main()
