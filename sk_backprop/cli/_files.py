"""The command line's files: model files loaded trusting exactly what ``--save``
writes, and outputs that never replace an input or an existing file unasked.

A skops file is a zip of ``schema.json`` (a tree of nodes, each naming the loader
skops would use and the type it would build) and the arrays. ``check_model_file``
reads that tree as JSON, building nothing, and refuses the file unless every
node is one of the kinds ``--save`` writes and names one of the types of the
pipeline the command line builds (``trusted_types``), by full name: never a
prefix, never a function or a method (skops' function and method nodes return a
callable, and scikit-learn holds functions that run code), never a ``__reduce__``.
Only then is the file handed to ``skops.io.load`` with that exact list.
"""

import json
import os
import secrets
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ._read import TableError
from ._signals import check as check_signals

# The kinds of skops node a saved pipeline is made of. Absent on purpose:
# FunctionNode, MethodNode, ReduceNode, OperatorFuncNode and the like, which build
# callables or call one.
TRUSTED_LOADERS = {
    "ObjectNode",
    "DictNode",
    "ListNode",
    "TupleNode",
    "JsonNode",
    "SliceNode",
    "NdArrayNode",
    "DTypeNode",
    "TypeNode",
    "SparseMatrixNode",
}
BUILTIN_TYPES = {
    f"builtins.{name}"
    for name in (
        "dict",
        "list",
        "tuple",
        "str",
        "int",
        "float",
        "bool",
        "NoneType",
        "slice",
        "object",
    )
}
NUMPY_TYPES = (
    {"numpy.ndarray", "numpy.dtype"}
    | {f"numpy.{np.dtype(code).type.__name__}" for code in "?bhilqBHILQefdgO"}
    | {f"numpy.{np.dtype(code).type.__name__}" for code in ("U", "S")}
)


def _full_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def trusted_types():
    """Full names of every type a pipeline saved by ``--save`` holds: the
    preprocessing of ``_table.preprocessor``, our estimator and its solver's state
    (``sk_backprop.skops_trusted_types``, with their names in files of 0.1.0), and
    the builtin and numpy types of their attributes."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import LabelBinarizer, OneHotEncoder, StandardScaler

    from .. import skops_trusted_types
    from .._compat import REMAINDER_COLS_LIST

    classes = [
        Pipeline,
        ColumnTransformer,
        SimpleImputer,
        StandardScaler,
        OneHotEncoder,
        LabelBinarizer,
    ]
    if isinstance(REMAINDER_COLS_LIST, type):  # scikit-learn 1.5 to 1.7's, a class
        classes.append(REMAINDER_COLS_LIST)
    ours = set(skops_trusted_types())  # the estimator and its solver's state, by exact name
    return {_full_name(cls) for cls in classes} | ours | BUILTIN_TYPES | NUMPY_TYPES


# Bounds on what a model file may make this process read, checked against the zip's
# declared sizes before anything is read whole. A pipeline --save writes with a
# one-hot encoder of 1,000 categories and 16 hidden units has a schema of 766 KiB,
# nested 31 deep, and skops stores its members uncompressed (ratio 1); a 1.3 MiB
# file whose schema or array inflated to 300 MiB was read whole before (the process
# grew from 215 to 821 MiB).
MAX_SCHEMA_BYTES = 16 * 2**20
MAX_DEPTH = 100
MAX_NODES = 200_000
MAX_MEMBER_BYTES = 2**30
MAX_RATIO = 100  # uncompressed / compressed, for members over SMALL_MEMBER bytes
SMALL_MEMBER = 2**20


def _check_sizes(path, archive):
    """Refuse a member whose declared size is too large, or inflates too much."""
    for info in archive.infolist():
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > SMALL_MEMBER and ratio > MAX_RATIO
        ):
            raise TableError(
                f"{path}: its member {info.filename!r} inflates from {info.compress_size:,} "
                f"to {info.file_size:,} bytes ({ratio:.0f}x), which no saved model does, "
                "so it is not loaded"
            )


def _read_schema(path, archive):
    """``schema.json`` parsed, bounded in size, depth and node count."""
    if archive.getinfo("schema.json").file_size > MAX_SCHEMA_BYTES:
        raise TableError(
            f"{path}: its schema.json is over {MAX_SCHEMA_BYTES // 2**20} MiB, which no "
            "saved model's is, so it is not loaded"
        )
    with archive.open("schema.json") as member:
        text = member.read(MAX_SCHEMA_BYTES + 1)
    if len(text) > MAX_SCHEMA_BYTES:  # a header that lied about the size
        raise TableError(f"{path}: its schema.json is larger than its zip header says")
    try:
        schema = json.loads(text)
    except RecursionError:
        raise TableError(f"{path}: its schema.json is nested too deeply to be a model") from None
    if not isinstance(schema, dict):
        raise TableError(
            f"{path}: its schema.json is a {type(schema).__name__}, not the description of "
            "a model (an object), so it is not a model saved by --save"
        )
    return schema


def _nodes(tree, path):
    """Every node of a skops schema (the dicts that name a loader), each with its
    loader, module and class checked to be strings; bounded depth and count."""
    stack, count = [(tree, 1)], 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            raise TableError(
                f"{path}: its schema is {'nested deeper' if depth > MAX_DEPTH else 'larger'} "
                "than any saved model's, so it is not loaded"
            )
        if isinstance(item, dict):
            if "__loader__" in item:
                for key in ("__loader__", "__module__", "__class__"):
                    if not isinstance(item.get(key, ""), str):
                        raise TableError(
                            f"{path}: a node of its schema has a {type(item[key]).__name__} "
                            f"as its {key}, where a name belongs: the file is damaged or "
                            "was edited, so it is not loaded"
                        )
                yield item
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)


def check_model_file(path):
    """Refuse ``path`` unless it is a skops file of a pipeline ``--save`` writes.

    Reads only ``schema.json``, after checking every member's declared size and
    inflation and within bounds of size, depth and node count; raises TableError
    naming what is wrong: a member or schema too large, a malformed schema, the
    first node of a kind or a type that ``--save`` does not write.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(path, archive)
            schema = _read_schema(path, archive)
    except TableError:
        raise
    except FileNotFoundError:
        raise TableError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, ValueError, IsADirectoryError) as error:
        raise TableError(f"{path} is not a model saved by --save ({error})") from None
    trusted = trusted_types()
    for node in _nodes(schema, path):
        name = f"{node.get('__module__')}.{node.get('__class__')}"
        if node["__loader__"] not in TRUSTED_LOADERS:
            raise TableError(
                f"{path} holds a {node['__loader__']} ({name}), which --save never writes: "
                "the file was not saved by this command line or was edited, so it is not loaded"
            )
        if name not in trusted:
            raise TableError(
                f"{path} holds the type {name}, which --save never writes, so it is not "
                "loaded. If you trust the file, load it yourself with skops.io.load."
            )
    top = f"{schema.get('__module__')}.{schema.get('__class__')}"
    if top != "sklearn.pipeline.Pipeline":
        raise TableError(
            f"{path} holds a {top}, not the pipeline (preprocessing and classifier) that "
            "--save writes; save one with --csv ... --target ... --save"
        )
    return trusted


def load_model(path):
    """The pipeline saved by ``--save`` at ``path``; anything else is refused unbuilt."""
    skops_io = skops()
    trusted = check_model_file(path)
    try:
        untrusted = skops_io.get_untrusted_types(file=path)
        unexpected = sorted(set(untrusted) - trusted)
        if unexpected:  # skops reads more than our walk: refuse what it names too
            raise TableError(f"{path} holds the types {unexpected}, which --save never writes")
        model = skops_io.load(path, trusted=untrusted)
    except TableError:
        raise
    except Exception as error:  # a damaged array, a schema of another skops version
        raise TableError(f"{path} is not a model saved by --save ({error})") from None
    return model


def skops():
    try:
        import skops.io
    except ImportError:
        raise TableError(
            "saving and loading models needs skops: from a clone of sk_backprop, "
            'pip install ".[cli]"'
        ) from None
    return skops.io


def check_output(path, option, inputs, overwrite):
    """Refuse an output ``path`` that is one of ``inputs``, an existing file
    (unless ``overwrite``), a folder, or in a folder that is missing or not
    writable. Runs before any work, so a bad path costs nothing."""
    target = Path(path)
    for input_option, input_path in inputs.items():
        if input_path is not None and _same_file(target, Path(input_path)):
            raise TableError(
                f"{option} {path} is the {input_option} file: writing it would destroy the "
                f"input. Choose another path for {option}."
            )
    if target.is_dir():
        raise TableError(f"{option} {path} is a folder; give a file name inside it")
    folder = target.parent
    if not folder.is_dir():
        raise TableError(f"{option} {path}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise TableError(f"{option} {path}: the folder {str(folder)!r} is not writable")
    if target.exists() and not overwrite:
        raise TableError(
            f"{option} {path} exists; give --overwrite to replace it, or choose another path"
        )


def _same_file(a, b):
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def atomic_path(path, overwrite=False):
    """A temporary path in ``path``'s folder, given the name ``path`` when the block
    ends without an exception and removed otherwise: readers see the old file or
    the whole new one, never half of one. Without ``overwrite`` the name is taken
    only if no file has it at that moment (a hard link, which fails if the name
    exists: two runs writing the same path cannot both succeed, the second gets the
    "exists" error); with it the file replaces the old one. The file gets the
    permissions the user's umask gives a new file (``tempfile.mkstemp``'s 0600 would
    hide an output from the user's group), or those of the file it replaces. A
    signal that stopped a fit (``_signals``) is raised before the name is taken."""
    target = Path(path)
    while True:
        temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.partial"
        try:  # the kernel applies the umask to 0o666, as for any file the user makes
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    try:
        if overwrite and target.exists():
            shutil.copymode(target, temporary)
        yield str(temporary)
        check_signals()
        if overwrite:
            os.replace(temporary, target)
        else:
            _take_name(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _take_name(temporary, target):
    """Give ``temporary`` the name ``target`` unless a file has it now."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _written_meanwhile(target) from None
    except OSError:  # a file system without hard links: reserve the name, replace it
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise _written_meanwhile(target) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _written_meanwhile(target):
    return TableError(
        f"{target} exists (written while this run worked); give --overwrite to replace "
        "it, or choose another path"
    )
