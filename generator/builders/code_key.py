"""What a cached output owes to code: the generator's code that makes it and the libraries
that code runs, read from the code itself so that the list cannot go stale.

Starting from the function that makes the output, every function and class of the generator
it names is followed (through module attributes, imports inside functions, nested classes
and functions, and the classes its parameters are annotated with). Their compiled code (the
bytecode with the names and constants it uses, not the text, so that a comment or a blank
line changes nothing), the simple module constants they read and what each class declares
are the generator's part. The distributions of the other packages they import, and every
distribution those require, are the libraries' part, by installed version. The standard
library is left out: it changes with Python only.
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
"""The distribution name at the start of a requirement (``fonttools[woff] >=4.59``)."""
_IMPORT = dis.opmap["IMPORT_NAME"]
"""The opcode of an import statement."""


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
        if not isinstance(item, (type, FunctionType)):
            continue  # a value: a simple one is among the constants of who reads it
        module = item.__module__ or ""
        if not _ours(module):
            if module:
                packages.add(module.split(".")[0])
            continue
        name = f"{module}.{item.__qualname__}"
        if name in found:
            continue
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
        todo.extend(_hinted(item))
        for code in _codes(item.__code__):
            todo.extend(_named(code, item.__globals__, packages))
    return found, packages


def _named(code: CodeType, namespace: dict[str, object], packages: set[str]) -> list[object]:
    """The functions and classes a code object names: its module's globals, attributes of
    the generator's modules it names, and what it imports."""
    modules = [value for value in map(namespace.get, code.co_names)
               if isinstance(value, ModuleType)]
    # reading the instructions is slow: only where an import is (opcodes at even offsets)
    imports = _IMPORT in code.co_code[::2]
    for instruction in dis.get_instructions(code) if imports else ():
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


def _function_text(function: FunctionType) -> str:
    """What a function does: its code and the simple module constants it reads."""
    names = {name for code in _codes(function.__code__) for name in code.co_names}
    constants = [f"{name} = {_stable(function.__globals__[name])}" for name in sorted(names)
                 if isinstance(function.__globals__.get(name, ...), _CONSTANT)]
    return "\n".join([_code_text(function.__code__), *constants])


def _code_text(code: CodeType) -> str:
    """A code object as its bytecode, the names it uses and its constants, nested code
    included; no line numbers or file name, so that only a change of what it does counts."""
    parts = [code.co_code.hex(), repr(code.co_names), repr(code.co_varnames)]
    parts += [_code_text(constant) if isinstance(constant, CodeType) else _stable(constant)
              for constant in code.co_consts]
    return "\n".join(parts)


def _class_text(cls: type) -> str:
    """What a class declares besides its methods (followed as functions): its bases, the
    annotations of its fields, its simple attributes and, for a dataclass, its options."""
    attributes = {name: _stable(value) for name, value in vars(cls).items()
                  if isinstance(value, _CONSTANT) and name != "__module__"}
    bases = [f"{base.__module__}.{base.__qualname__}" for base in cls.__mro__[1:]]
    return (f"{bases} {vars(cls).get('__annotations__', {})} {attributes} "
            f"{getattr(cls, '__dataclass_params__', '')}")


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
            found = metadata.metadata(name)  # read once: reading is the slow part
        except metadata.PackageNotFoundError:  # a module of a package named otherwise
            continue
        versions[key] = found["Version"]
        required = found.get_all("Requires-Dist") or []
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
        text = _class_text(item) if isinstance(item, type) else _function_text(item)
        digest.update(f"{name}\n{text}\n".encode())
    for name, version in sorted(libraries(packages).items()):
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()
