"""Module-level patterns compiled on first use, not at import, and the `regex` module itself
imported on first use.

`regex` compiles in pure Python (about 0.2 ms a pattern): the 60-odd patterns the modules
declare cost 13 ms of every start-up, and a run uses fewer than half of them (a file named alone
by pre-commit never meets a docs-site preset, a shard or an output it did not ask for). A
`LazyPattern` holds the arguments; the first attribute asked of it (`search`, `finditer`,
`pattern`, ...) compiles the pattern, and every attribute asked is then kept on the instance,
so later uses are plain attribute reads of the compiled pattern's own bound methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class _RegexModule:
    """The `regex` module, imported when something is first asked of it.

    Its import is 8 ms of every start-up (its compiler is pure Python); a warm run, or a command
    that checks nothing, never calls it. Modules write `from loclint.lazyre import regex` and use
    it as the module; each attribute asked is then kept on the instance, so later uses are plain
    attribute reads of the module's own functions and classes."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        import regex as module

        value = getattr(module, name)
        setattr(self, name, value)
        return value


if TYPE_CHECKING:
    import regex
else:
    regex = _RegexModule()


# The flags module-level patterns are declared with, by value (regex's, which are re's), so that
# declaring a pattern imports nothing; tests/test_bounds.py checks them against regex's own.
IGNORECASE, MULTILINE, DOTALL = 0x2, 0x8, 0x10

_DECLARED: list[LazyPattern] = []  # every pattern a module declares (a fixed set, not user text)


class LazyPattern:
    """A `regex.compile(*args, **kwargs)` made on first use; answers as the compiled pattern."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._arguments = (args, kwargs)

    def __getattr__(self, name: str) -> Any:  # only called for what the instance does not hold yet
        if name.startswith("__") or name == "_arguments":
            raise AttributeError(name)
        compiled = self.compiled()
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def compiled(self) -> regex.Pattern:
        found = self.__dict__.get("_compiled")
        if found is None:
            args, kwargs = self._arguments
            found = self.__dict__["_compiled"] = regex.compile(*args, **kwargs)
        return found

    def __repr__(self) -> str:
        return f"LazyPattern({self._arguments[0][0]!r})"


def compile_all() -> None:
    """Compile every pattern declared so far (the resident server, loclint/resident.py, does it
    once so that the runs it forks never compile one)."""
    for pattern in _DECLARED:
        pattern.compiled()


def lazy_pattern(*args: Any, **kwargs: Any) -> regex.Pattern:
    """`regex.compile`'s arguments, compiled when the pattern is first used: a module's pattern,
    declared once at import (a pattern built from data at run time is a bare `LazyPattern`, so
    that this list of declared ones stays the fixed set `compile_all` compiles)."""
    pattern = LazyPattern(*args, **kwargs)
    _DECLARED.append(pattern)
    return pattern  # type: ignore[return-value] - it answers as a Pattern
