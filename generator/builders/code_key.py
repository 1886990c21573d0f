"""What a cached output owes to code: the generator's code that makes it and the libraries
that code runs, read from the code itself so that the list cannot go stale.

Starting from the function that makes the output, every function and class of the generator
it names is followed (through module attributes, imports inside functions, nested classes
and functions, and the classes its parameters are annotated with); their source and the
simple constants they read are the generator's part. The distributions of the other
packages they import, and everything those distributions require, are the libraries' part,
by installed version. The standard library is left out: it changes with Python only.
"""

from __future__ import annotations

import dis
import hashlib
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import PurePath
from types import CodeType, FunctionType, ModuleType

PACKAGE = "generator"
"""The package whose code is followed and hashed; any other package is a library."""
_CONSTANT = (str, bytes, int, float, bool, type(None), PurePath, re.Pattern, tuple,
             frozenset)
"""Values whose ``repr`` is their whole meaning (and the same in every process)."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _codes(code: CodeType) -> Iterator[CodeType]:
    """A code object and those nested in it (inner functions, classes, comprehensions)."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _codes(constant)


def _hinted(function: FunctionType) -> Iterator[object]:
    """The classes named in a function's annotations, ``tuple[str, Project]`` unpacked."""
    try:
        hints = typing.get_type_hints(function)
    except NameError:  # a name imported for type checking only: nothing that runs
        return
    todo = list(hints.values())
    while todo:
        hint = todo.pop()
        todo.extend(typing.get_args(hint))
        if isinstance(hint, type):
            yield hint


def reached(entry: Callable[..., object]) -> tuple[dict[str, object], set[str]]:
    """The generator's functions and classes ``entry`` runs (by qualified name) and the
    top-level names of the other packages they use."""
    found: dict[str, object] = {}
    packages: set[str] = set()
    todo: list[object] = [entry]
    while todo:
        item = inspect.unwrap(todo.pop())  # type: ignore[arg-type]
        module = getattr(item, "__module__", None) or ""
        if not _ours(module):
            if module:
                packages.add(module.split(".")[0])
            continue
        name = f"{module}.{item.__qualname__}"  # type: ignore[attr-defined]
        code = getattr(item, "__code__", None)
        if name in found or (code and code.co_filename.startswith("<")):
            continue  # made at run time (a dataclass's __init__): its class's source says it
        found[name] = item
        if isinstance(item, type):
            for member in vars(item).values():
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    todo.extend(part for part in (member.fget, member.fset) if part)
                elif isinstance(member, FunctionType):
                    todo.append(member)
            continue
        if isinstance(item, FunctionType):
            todo.extend(_hinted(item))
            for code in _codes(item.__code__):
                todo.extend(_named(code, item.__globals__, packages))
    return found, packages


def _named(code: CodeType, namespace: dict[str, object], packages: set[str]) -> list[object]:
    """The functions and classes a code object names: its module's globals, attributes of
    the generator's modules it names, and what it imports."""
    modules = [value for value in map(namespace.get, code.co_names)
               if isinstance(value, ModuleType)]
    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME" and instruction.argval:
            if _ours(instruction.argval):
                modules.append(importlib.import_module(instruction.argval))
            else:
                packages.add(instruction.argval.split(".")[0])
    named: list[object] = []
    for module in modules:
        if _ours(module.__name__):
            named.extend(getattr(module, name) for name in code.co_names
                         if hasattr(module, name))
        else:
            packages.add(module.__name__.split(".")[0])
    named.extend(namespace[name] for name in code.co_names if name in namespace)
    return [value for value in named if not isinstance(value, ModuleType)]


def _constants(item: object) -> list[str]:
    """The simple module constants a function reads, as ``name = repr``."""
    if not isinstance(item, FunctionType):
        return []
    names = {name for code in _codes(item.__code__) for name in code.co_names}
    return [f"{name} = {_stable(item.__globals__[name])}" for name in sorted(names)
            if name in item.__globals__ and isinstance(item.__globals__[name], _CONSTANT)]


def _stable(value: object) -> str:
    """``repr`` of a constant, a set's members sorted (their order changes per process)."""
    if isinstance(value, frozenset):
        return f"frozenset({sorted(map(_stable, value))})"
    if isinstance(value, tuple):
        return f"({', '.join(map(_stable, value))},)"
    return repr(value)


def libraries(packages: set[str]) -> dict[str, str]:
    """The installed version of each package's distribution and of every distribution it
    requires (extras left out), by name; the standard library has none."""
    versions: dict[str, str] = {}
    todo = sorted(package for package in packages
                  if package not in sys.stdlib_module_names and not _ours(package))
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in versions:
            continue
        try:
            versions[key] = metadata.version(name)
            required = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # a module of a package named otherwise
            continue
        todo.extend(match[0] for requirement in required
                    if "extra ==" not in requirement
                    and (match := _NAME.match(requirement)))
    return versions


def code_key(entry: Callable[..., object]) -> str:
    """A digest of the generator's code that ``entry`` runs and of the versions of the
    libraries it uses: it changes when either does."""
    found, packages = reached(entry)
    digest = hashlib.sha256()
    for name, item in sorted(found.items()):
        digest.update(f"{name}\n{inspect.getsource(item)}\n".encode())  # type: ignore[arg-type]
        digest.update("\n".join(_constants(item)).encode())
    for name, version in sorted(libraries(packages).items()):
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()
