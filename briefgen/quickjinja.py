"""A quicker Jinja runtime for the theme's templates, with Jinja's own output: escaping,
urlencode, the page context's calls and the compiled code's yields (Jinja 3.1 only)."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup, escape

__all__ = ["QUICK_RUNTIME", "install", "output_escape", "quick_escape", "quick_urlencode",
           "safe_markup"]

# markupsafe's escaping of a str without the Markup(...) wrapper's Python-level __new__
_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__
# The quick template and context classes below lean on Jinja 3.1's runtime (Context.call, the
# names its compiled code looks up); any other version renders with Jinja's own classes.
QUICK_RUNTIME = jinja2.__version__.startswith("3.1.")
_CONTEXT = getattr(getattr(jinja2.utils, "_PassArg", None), "context", None)
_Macro = jinja2.runtime.Macro
_BlockReference = jinja2.runtime.BlockReference  # self.title(): a block rendered again
# a macro's __call__ takes the evaluation context (Jinja 3): Context.call passes it
_MACRO_TAKES_EVAL_CONTEXT = (getattr(_Macro.__call__, "jinja_pass_arg", None)
                             is jinja2.utils._PassArg.eval_context)


def quick_escape(value: Any) -> Markup:
    """markupsafe.escape, the same text, quicker for the two kinds of value a page shows most:
    a str is escaped into a Markup without Markup.__new__'s checks, and a Markup (a translated
    string, a macro's output) is already safe and returned as it is, not copied."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return _new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return escape(value)


def safe_markup(text: str) -> Markup:
    """Text already escaped, as a Markup without Markup.__new__'s checks."""
    return _new_str(Markup, text)


def output_escape(value: Any) -> str:
    """The text quick_escape gives, as a str when the value is one: what a compiled template's
    output escapes is only joined into the page or into a buffer (a macro's, a block's) that
    Jinja makes into a Markup itself, so the Markup wrapper of each value (str.__new__ copying
    the text) is left out. A str with nothing to escape is returned as it is."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return _escape_inner(value)
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return escape(value)


# Jinja's urlencode of a str: its UTF-8 bytes percent-encoded, letters, digits, _.-~ and / kept;
# each ASCII character's form, by code point (str.translate indexes the list)
_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")
_URL_FORMS = [chr(c) if c in _URL_SAFE else f"%{c:02X}" for c in range(128)]
_urlencode: Callable[[Any], str] = jinja2.filters.do_urlencode


def quick_urlencode(value: Any) -> str:
    """Jinja's urlencode filter, the same text; ASCII text is quoted by str.translate instead of
    a Python call per byte (4.5 -> 1.8 µs for a title: a briefing's share links quote its title
    and address)."""
    if type(value) is str and value.isascii():
        return value.translate(_URL_FORMS)
    return _urlencode(value)


class _PageContext(jinja2.runtime.Context):
    """Jinja's context with a quicker call() for plain functions and methods (gettext,
    `lang.path`), macros, blocks (`self.title()`) and methods of built-in types (`dict.items`,
    `str.startswith`): each page makes some sixty calls. Anything else, and a context function
    called after a `set` in its loop or block (which sees a copy of the context with that
    variable), goes through Jinja's own call(). Its set of global names (a context is made for
    each page and each include) is made without walking a ChainMap in Python."""

    def __init__(self, environment: jinja2.Environment, parent: dict[str, Any], name: str | None,
                 blocks: dict[str, Any], globals: Any = None) -> None:
        super().__init__(environment, parent, name, blocks, None)
        if globals is not None:
            # Jinja's set(globals): a template's globals are a ChainMap, which set() walks in
            # Python (each include makes a context: ~1.5 -> 0.3 µs)
            self.globals_keys = (set().union(*globals.maps) if type(globals) is ChainMap
                                 else set(globals))

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is FunctionType or kind is MethodType:  # a method: its function's pass_arg
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
            if kwargs:
                if (pass_arg is not None and (kwargs.get("_loop_vars")
                                              or kwargs.get("_block_vars"))):
                    return super().call(__obj, *args, **kwargs)
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            if pass_arg is _CONTEXT:
                args = (__self, *args)
            elif pass_arg is not None:
                return super().call(__obj, *args, **kwargs)
        elif kind is _Macro and _MACRO_TAKES_EVAL_CONTEXT:
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            args = (__self.eval_ctx, *args)
        elif kind is not BuiltinMethodType and kind is not _BlockReference:
            return super().call(__obj, *args, **kwargs)
        elif kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


# what _CodeGenerator names an Output's buffer while Jinja writes it, then rewrites
_YIELD_MARK = "_briefgen_yield_"


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, whose template code yields each run of text and values of an
    output (`<a href="{{ url }}">{{ title }}</a>`) as one string instead of one yield each:
    every yield of an included template or a block goes up through each generator above it
    (briefing.html, base.html, the block, the include). The same text, in the same order."""

    def visit_Output(self, node: jinja2.nodes.Output, frame: jinja2.compiler.Frame) -> None:
        if frame.buffer is not None or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        # Jinja writes a buffered output as `buffer.extend((a, b))` or `buffer.append(a)`:
        # with the mark as the buffer's name, write() makes those `yield concat((a, b))` and
        # `yield identity(a)` (a run of text and constants folded into one, rare); the frame's
        # buffer is only read by visit_Output itself
        frame.buffer = _YIELD_MARK
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None

    def write(self, x: str) -> None:
        if x.startswith(_YIELD_MARK):
            x = x.replace(f"{_YIELD_MARK}.extend(", "yield concat(", 1).replace(
                f"{_YIELD_MARK}.append(", "yield identity(", 1)
        super().write(x)


class _Template(jinja2.Template):
    """Jinja's template whose compiled code escapes its output with output_escape (each page
    escapes a few hundred values), and whose page context is made quicker."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any,
                  globals: Any, uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # the compiled module's namespace: its functions look `escape` up there at each call;
        # Jinja's code generator writes escape(...) only around an Output node's values
        template.root_render_func.__globals__["escape"] = output_escape
        return template

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Any = None) -> jinja2.runtime.Context:
        """Jinja's new_context, the same context; a page's own (not shared) merges the template's
        globals, a ChainMap, map by map instead of through the ChainMap's lookups in Python
        (once a page: ~7 -> 0.6 µs)."""
        if shared or type(self.globals) is not ChainMap:
            return super().new_context(vars, shared, locals)
        merged: dict[str, Any] = {}
        for mapping in reversed(self.globals.maps):
            merged.update(mapping)
        if vars:
            merged.update(vars)
        return jinja2.runtime.new_context(self.environment, self.name, self.blocks, merged, True,
                                          self.globals, locals)


def install(env: jinja2.Environment) -> None:
    """Render env's templates with the quick classes, when Jinja is a version they know."""
    if QUICK_RUNTIME:
        env.template_class = _Template
        env.context_class = _PageContext
        env.code_generator_class = _CodeGenerator
