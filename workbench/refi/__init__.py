"""REFI-QDA exchange: projects (``.qdpx``) and codebooks (``.qdc``) for MAXQDA, ATLAS.ti,
NVivo and the other QDA programs that follow the standard (QDA-XML 1.0, the March 2019
schemas of REFI-QDA 1.5, shipped in ``workbench/data/refi/``).

- :func:`write_qdpx` — the store's articles, codebook, current codings and notes;
- :func:`write_qdc` — a codebook; :func:`read_qdc` — the codes of another program's one;
- :func:`codebook_from_qdc` — a starting workbench codebook (TOML) from a ``.qdc``;
- :func:`validate` — check a parsed file against the schema.
"""

from __future__ import annotations

from .codes import GROUPS, MAX_DEPTH, QdaCode, codebook_codes, read_qdc, walk, write_qdc
from .project import AUTOMATIC_USER, write_qdpx
from .schema import CODEBOOK_NS, PROJECT_NS, SCHEMAS, RefiError, validate
from .starting_codebook import codebook_from_qdc

__all__ = [
    "write_qdpx",
    "write_qdc",
    "read_qdc",
    "codebook_from_qdc",
    "codebook_codes",
    "walk",
    "validate",
    "QdaCode",
    "RefiError",
    "GROUPS",
    "MAX_DEPTH",
    "AUTOMATIC_USER",
    "PROJECT_NS",
    "CODEBOOK_NS",
    "SCHEMAS",
]
