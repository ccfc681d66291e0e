"""Checking what a user passed: the house "value must be one of" messages, in one place.

Every module that takes a choice between named methods (``labels="ar"``, ``queue="topic"``,
``renderer="html"``) checks it here, so every message reads the same::

    `labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}

This module imports nothing from ``workbench``: any module may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["check_annotator", "check_choice", "choice_problem", "one_of"]


def one_of(choices: Iterable[Any]) -> str:
    """Format accepted values for a "value must be one of" message.

    Parameters
    ----------
    choices : iterable
        The accepted values (a mapping's keys), in the order to show them.

    Returns
    -------
    str
        ``{'ar', 'en', 'both'}``: each value's ``repr``, in the choices' own order.
    """
    return "{" + ", ".join(repr(c) for c in choices) + "}"


def choice_problem(name: str, value: Any, choices: Iterable[Any], *, context: str = "") -> str | None:
    """The house message for a ``value`` that is not one of ``choices``, or None.

    Parameters
    ----------
    name : str
        The keyword or field the user gave, named in the message.
    value : Any
        What the user gave.
    choices : iterable
        The accepted values (a mapping's keys).
    context : str, default ""
        Where the value is invalid, put after "is invalid" (``"for queue='topic'"``).

    Returns
    -------
    str or None
        "`labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}", or
        None when ``value`` is one of ``choices``.
    """
    if not isinstance(choices, Mapping | set | frozenset):
        choices = dict.fromkeys(choices)
    try:
        known = value in choices
    except TypeError:  # unhashable, e.g. a list
        known = False
    if known:
        return None
    where = f" {context}" if context else ""
    return f"`{name}` value = {value!r} is invalid{where}; value must be one of {one_of(choices)}"


def check_choice(
    name: str,
    value: Any,
    choices: Iterable[Any],
    *,
    context: str = "",
    error: type[ValueError] = ValueError,
) -> None:
    """Raise a clear error when ``value`` is not one of ``choices``.

    Parameters
    ----------
    name : str
        The keyword the user passed, named in the message.
    value : Any
        What the user passed.
    choices : iterable
        The accepted values (a mapping's keys).
    context : str, default ""
        Where the value is invalid, put after "is invalid" (``"for queue='topic'"``).
    error : type of ValueError, default ValueError
        The exception raised (a module's own ``ValueError`` subclass).

    Raises
    ------
    ValueError
        "`labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}".
    """
    problem = choice_problem(name, value, choices, context=context)
    if problem is not None:
        raise error(problem)


def check_annotator(annotator: Any, *, error: type[ValueError] = ValueError) -> str:
    """Check the name of who makes a correction; return it without surrounding spaces.

    Parameters
    ----------
    annotator : Any
        What the user passed as ``annotator``.
    error : type of ValueError, default ValueError
        The exception raised (a module's own ``ValueError`` subclass).

    Returns
    -------
    str
        The name, stripped.

    Raises
    ------
    ValueError
        "`annotator` value = '' is invalid; give a non-empty name, e.g. annotator='huda'".
    """
    if not isinstance(annotator, str) or not annotator.strip():
        raise error(
            f"`annotator` value = {annotator!r} is invalid; give a non-empty name, e.g. annotator='huda'"
        )
    return annotator.strip()
