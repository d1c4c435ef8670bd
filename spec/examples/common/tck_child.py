"""Glue shared by the adapters of real libraries (spec/examples/<library>/adapter.py): the
protocol loop of spec/PROTOCOL.md, tensors to and from torch, the dtype switch, the timestep
conversions and stubs of imports that have nothing to do with the math. No diffusion math here:
each adapter answers through its library's own functions.

The dtype is chosen by the environment variable DIFFUSION_TCK_DTYPE: float32 (the libraries'
default) or float64.
"""
import importlib.abc
import importlib.machinery
import json
import os
import sys
import types

DTYPES = ("float32", "float64")


class Refusal(ValueError):
    """An input the library does not answer; sent back as an error answer (PROTOCOL.md sec. 5)."""


def require(ok, message):
    if not ok:
        raise Refusal(message)


def dtype_name(environ=os.environ):
    """The dtype selected by DIFFUSION_TCK_DTYPE (default float32)."""
    name = environ.get("DIFFUSION_TCK_DTYPE", "float32")
    if name not in DTYPES:
        raise SystemExit(f"DIFFUSION_TCK_DTYPE must be one of {', '.join(DTYPES)}, got {name}")
    return name


def flat_shape(shape):
    """[B, 1, n] for a wire shape [B, ...]: one channel, so that a library's channel split of a
    learned-variance output (axis 1) and its per-sample reductions see every coordinate."""
    require(len(shape) >= 1 and shape[0] >= 1, f"a tensor needs a batch axis, got {shape}")
    n = 1
    for d in shape[1:]:
        n *= d
    return [shape[0], 1, n]


def to_torch(torch, wire, dtype):
    """A wire tensor {"shape", "data"} as a torch tensor of shape [B, 1, n]."""
    shape = wire["shape"]
    x = torch.tensor(wire["data"], dtype=dtype)
    require(x.numel() == _count(shape), f"data must hold {_count(shape)} values for shape {shape}")
    return x.reshape(flat_shape(shape))


def from_torch(x, shape):
    """A torch tensor as a wire tensor of the given shape (values read as doubles)."""
    data = [float(v) for v in x.detach().reshape(-1).double().tolist()]
    require(len(data) == _count(shape), f"the library answered {len(data)} values for shape {shape}")
    return {"shape": list(shape), "data": data}


def _count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def index_of(t):
    """A codebase's 0-based index i of the papers' t (CONVENTIONS.md sec. 1): i = t - 1; t = 0
    (the data) is the index -1."""
    return t - 1


def t_of(index):
    """The papers' t of a 0-based index: t = i + 1 (any index < 0 is t = 0)."""
    return max(index + 1, 0)


class InjectedNoise:
    """A context in which module.name, the function a library draws its noise with (randn_tensor
    given a shape, or randn_like given a tensor), returns the kit's noise z instead (cast to the
    dtype asked for): noise is an input of every request (PROTOCOL.md)."""

    def __init__(self, module, name, z):
        self.module, self.name, self.z = module, name, z

    def __enter__(self):
        self.saved = getattr(self.module, self.name)
        setattr(self.module, self.name, self.draw)
        return self

    def draw(self, like, *args, **kwargs):
        shape = tuple(like.shape) if hasattr(like, "shape") else tuple(like)
        require(shape == tuple(self.z.shape), f"noise of shape {shape} was drawn, "
                                              f"{tuple(self.z.shape)} was given")
        dtype = kwargs.get("dtype") or getattr(like, "dtype", None)
        return self.z if dtype is None else self.z.to(dtype)

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.saved)


def stub_modules(roots):
    """Makes the import of any module under the given top-level names succeed with a stub whose
    attributes are inert: decorators return the function unchanged, names ending in Error or
    Exception are fresh exception classes, UPPER_CASE names are empty strings, anything else is a
    callable placeholder. Only for imports that have nothing to do with the math (a hub client)."""
    sys.meta_path.insert(0, _StubFinder(set(roots)))


class _Placeholder:
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return _Placeholder(self._name + "()")

    def __getattr__(self, name):
        return _Placeholder(self._name + "." + name)

    def __str__(self):
        return ""

    __fspath__ = __str__


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith(("Error", "Exception", "Warning")):
            value = type(name, (Exception,), {})
        elif name.isupper():
            value = ""
        else:
            value = _Placeholder(self.__name__ + "." + name)
        setattr(self, name, value)
        return value


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, roots):
        self.roots = roots

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in self.roots:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _StubModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def serve(declaration, operations, stdin=sys.stdin, stdout=sys.stdout):
    """The protocol loop: one JSON request per line in, one answer per line out; every exception
    of an operation is an error answer (a refusal), never a crash."""
    for line in stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request.get("op")
        try:
            if op == "hello":
                result = declaration
            elif op in operations:
                result = operations[op](request)
            else:
                raise Refusal(f"unknown operation {op}")
            reply = {"id": request.get("id"), "result": result}
        except Exception as e:  # every refusal is an answer, never a crash
            reply = {"id": request.get("id"), "error": f"{type(e).__name__}: {e}"}
        stdout.write(json.dumps(reply))
        stdout.write("\n")
        stdout.flush()
