"""Checks a `vae export --format pytorch` file against outputs the Java model computed.

Run by ExportCommandTest where python3 has the packages (the Maven build never needs Python):

  python3 pytorch_export_check.py torch EXPORT EXPECTED
      needs torch and safetensors: builds the PyTorch modules from the metadata, loads the file with
      safetensors.torch.load_file and load_state_dict(strict=True), runs them on EXPECTED's x and z

  python3 pytorch_export_check.py numpy EXPORT EXPECTED
      needs numpy and safetensors: the same forward passes as numpy matrix products y = x W^T + b

EXPECTED is a safetensors file the Java test wrote: x [n, m] and z [n, d], and what our model
computed from them: mu and logvar (the encoder's), raw (the decoder's output) and mean (E[x|z]).
Exits non-zero with a message on the first mismatch; prints one line starting with "ok" otherwise.
"""
import sys

RTOL = 1e-4
ATOL = 1e-5
MODULES = ("enc", "fc_mu", "fc_logvar", "dec")


def sizes(meta):
    hidden = [int(h) for h in meta["model.hidden"].split(",") if h]
    return int(meta["model.data-dimension"]), hidden, int(meta["model.latent"])


def names(meta, key):
    return [n for n in meta[key].split(",") if n]


def check_torch(export, expected):
    import torch
    from torch import nn
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(export, framework="pt") as f:
        meta = f.metadata()
    assert meta["format"] == "pytorch", meta.get("format")
    m, hidden, d = sizes(meta)
    state = load_file(export)
    want = load_file(expected)
    k = state["dec.%d.bias" % (2 * len(hidden))].shape[0] // m

    # The modules as the metadata spells them, checked against the same model built from the sizes.
    modules = {name: eval(meta["torch." + name], {"nn": nn}) for name in MODULES}
    act = modules["dec"][1] if hidden else None
    enc, width = [], m
    for h in hidden:
        enc += [nn.Linear(width, h), act]
        width = h
    dec, width = [], d
    for h in reversed(hidden):
        dec += [nn.Linear(width, h), act]
        width = h
    dec.append(nn.Linear(width, m * k))
    top = hidden[-1] if hidden else m
    built = {"enc": nn.Sequential(*enc), "fc_mu": nn.Linear(top, d), "fc_logvar": nn.Linear(top, d),
             "dec": nn.Sequential(*dec)}
    for name in MODULES:
        assert repr(modules[name]) == repr(built[name]), (name, modules[name], built[name])

    model = nn.Module()
    for name in MODULES:
        model.add_module(name, modules[name])
    # The likelihood's tensors: parameters and estimates of a submodule named by their first part.
    for kind in ("likelihood.parameters", "likelihood.estimates"):
        for full in names(meta, kind):
            owner, leaf = full.split(".", 1)
            if not hasattr(model, owner):
                model.add_module(owner, nn.Module())
            empty = torch.empty(state[full].shape, dtype=state[full].dtype)
            if kind == "likelihood.parameters":
                getattr(model, owner).register_parameter(leaf, nn.Parameter(empty))
            else:
                getattr(model, owner).register_buffer(leaf, empty)
    model.to(state["fc_mu.weight"].dtype)
    model.load_state_dict(state, strict=True)

    with torch.no_grad():
        x, z = want["x"].to(state["fc_mu.weight"].dtype), want["z"].to(state["fc_mu.weight"].dtype)
        h = model.enc(x)
        raw = model.dec(z)
        got = {"mu": model.fc_mu(h), "logvar": model.fc_logvar(h), "raw": raw,
               "mean": torch.sigmoid(raw) if meta["model.likelihood"] == "bernoulli" else raw}
        for key, value in got.items():
            assert torch.allclose(value.double(), want[key].double(), rtol=RTOL, atol=ATOL), (
                key, (value.double() - want[key].double()).abs().max().item())
    print("ok (torch %s): %d tensors loaded strictly; enc/fc_mu/fc_logvar/dec outputs match"
          % (torch.__version__, len(state)))


def check_numpy(export, expected):
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file

    with safe_open(export, framework="np") as f:
        meta = f.metadata()
    assert meta["format"] == "pytorch", meta.get("format")
    m, hidden, d = sizes(meta)
    state = load_file(export)
    want = load_file(expected)
    expected_names = {"%s.%d.%s" % (seq, 2 * i, p) for seq, count in (("enc", len(hidden)), ("dec", len(hidden) + 1))
                      for i in range(count) for p in ("weight", "bias")}
    expected_names |= {"fc_mu.weight", "fc_mu.bias", "fc_logvar.weight", "fc_logvar.bias"}
    expected_names |= set(names(meta, "likelihood.parameters")) | set(names(meta, "likelihood.estimates"))
    assert set(state) == expected_names, sorted(set(state) ^ expected_names)

    activations = {
        "IDENTITY": lambda v: v,
        "RELU": lambda v: np.maximum(v, 0),
        "LEAKY_RELU": lambda v: np.where(v > 0, v, 0.01 * v),
        "ELU": lambda v: np.where(v > 0, v, np.expm1(np.minimum(v, 0))),
        "TANH": np.tanh,
        "SIGMOID": lambda v: 1 / (1 + np.exp(-v)),
        "SOFTPLUS": lambda v: np.logaddexp(v, 0),
        "GELU": lambda v: 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v ** 3))),
    }
    act = activations[meta["model.activation"]]

    def linear(name, v):
        return v @ state[name + ".weight"].astype(np.float64).T + state[name + ".bias"].astype(np.float64)

    h = want["x"].astype(np.float64)
    for i in range(len(hidden)):
        h = act(linear("enc.%d" % (2 * i), h))
    y = want["z"].astype(np.float64)
    for i in range(len(hidden) + 1):
        y = linear("dec.%d" % (2 * i), y)
        if i < len(hidden):
            y = act(y)
    got = {"mu": linear("fc_mu", h), "logvar": linear("fc_logvar", h), "raw": y,
           "mean": 1 / (1 + np.exp(-y)) if meta["model.likelihood"] == "bernoulli" else y}
    for key, value in got.items():
        assert np.allclose(value, want[key].astype(np.float64), rtol=RTOL, atol=ATOL), (
            key, float(np.abs(value - want[key]).max()))
    print("ok (numpy %s): %d tensors; enc/fc_mu/fc_logvar/dec outputs match" % (np.__version__, len(state)))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("torch", "numpy"):
        sys.exit("usage: pytorch_export_check.py torch|numpy EXPORT EXPECTED")
    (check_torch if sys.argv[1] == "torch" else check_numpy)(sys.argv[2], sys.argv[3])
