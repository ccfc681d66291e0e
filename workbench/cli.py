"""The ``workbench`` command.

::

    workbench new-project FOLDER [--articles PATH...] [--name NAME] [--codebook FILE]
    workbench annotate PATH... --store STORE.sqlite [--codebook FILE]
    workbench export --store STORE.sqlite --out DIR [--format csv|xlsx|qdpx|qdc] [--annotator NAME]
                     [--labels ar|en|both] [--no-compare]
    workbench import-codebook FILE.qdc --out CODEBOOK.toml [--base CODEBOOK.toml]
    workbench import-corrections FILE.csv|FILE.xlsx|FOLDER --store STORE.sqlite --annotator NAME
    workbench evaluate --gold GOLD.csv|FOLDER --store STORE.sqlite [--automatic]
    workbench charts --store STORE.sqlite --out DIR
    workbench compare --store STORE.sqlite --out DIR [--labels ar|en|both] [--reused all|once]
    workbench backup STORE.sqlite DEST.sqlite|FOLDER

Every command but ``new-project`` also takes ``--project FOLDER``: what is not given on the
command line (articles, codebook, store, output folders) comes from that project's
``workbench.toml``, or, with neither ``--project`` nor ``--store``, from the project of the
current folder (the seed project in the repository).

Errors a user can cause (a missing store, a bad CSV, a bad codebook or corpus) print a
clear message to stderr and exit with status 2, without a traceback; set the environment
variable ``WORKBENCH_DEBUG=1`` to see the traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main", "build_parser"]

USER_ERROR = 2


class UserError(Exception):
    """A problem the user can fix; printed as one message, exit status 2."""


def _open_store(path: str, *, create: bool = False):
    from workbench.store import Store

    return Store(path, create=create)


def _from_project(args: argparse.Namespace, **settings: str) -> None:
    """Fill the options not given (``args.<name>`` None or empty) from the project's
    settings, when ``--project`` was given or ``--store`` was not."""
    if args.project is None and args.store is not None:
        return
    from workbench.project import open_project

    project = open_project(args.project)
    for name, setting in settings.items():
        if getattr(args, name) in (None, []):
            value = getattr(project, setting)
            setattr(args, name, [str(p) for p in value] if isinstance(value, tuple) else
                    None if value is None else str(value))


def _new_project(args: argparse.Namespace) -> int:
    from workbench.project import new_project

    project = new_project(args.folder, articles=args.articles or None, name=args.name, codebook=args.codebook,
                          notebooks=not args.no_notebooks)
    print(f"made project {project.name!r} in {project.folder}: settings in {project.settings_file.name}, "
          f"articles from {', '.join(str(a) for a in project.articles)}, store {project.store.name}")
    print(f"next: workbench annotate --project {project.folder}   (or open "
          f"{project.folder / 'notebooks' / '01_annotate.ipynb'} in JupyterLab)")
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from workbench.corpus import load_corpus

    _from_project(args, paths="articles", codebook="codebook", store="store")
    if not args.paths:
        raise UserError("name the articles to annotate (PATH...), or a project with --project")
    codebook = None
    if args.codebook is not None:
        from workbench.codebook import load_codebook

        codebook = load_codebook(args.codebook)
    from workbench.annotate import annotate

    # one unreadable file among hundreds is reported, not a reason to stop the run
    corpus = load_corpus(args.paths if len(args.paths) > 1 else args.paths[0], on_error="report")
    problems = list(getattr(corpus, "problems", []))
    if len(corpus) == 0:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        raise UserError(
            f"no articles found in {', '.join(args.paths)}; give .txt files or folders holding them"
        )
    if args.dask:
        from workbench.scale import annotate_on_cluster

        try:
            ann = annotate_on_cluster(corpus, address_or_client=args.dask, codebook=codebook)
        except (OSError, ImportError) as exc:  # unreachable scheduler (the message names it) / no dask
            raise UserError(str(exc)) from None
    else:
        ann = annotate(corpus, codebook=codebook)
    with _open_store(args.store, create=True) as store:
        orphans_before = len(store.orphaned_corrections())
        run_id = store.save_annotations(ann, corpus=corpus)
        orphans = len(store.orphaned_corrections())
        stale = len(store.stale_corrections())
        corrections = len(store.journal())
        changes = _document_changes(store, run_id, orphaned=orphans - orphans_before)
    cb = getattr(ann, "codebook", None)
    print(
        f"annotated {len(corpus)} document(s), {len(ann.sentences)} sentence(s), {len(ann.mentions)} "
        f"mention(s) into {args.store} (run {run_id}, codebook {getattr(cb, 'name', '')!r} "
        f"{getattr(cb, 'hash', '')}); {len(problems)} problem(s)"
    )
    for problem in problems:
        print(f"  problem: {problem}")
    for line in changes:
        print(f"  {line}")
    if corrections:
        print(f"  {corrections} journal entr{'y' if corrections == 1 else 'ies'} kept; "
              f"{orphans} refer to sentences that no longer exist (Store.orphaned_corrections())")
    if stale:
        print(f"  {stale} correction(s) name keys this codebook no longer has (Store.stale_corrections())")
    bare = cb.topics_without_terms if cb is not None else []
    if bare:
        print(f"  topic(s) {bare} have no terms yet: they are never raised automatically, only by hand; "
              "add their words to `terms` in the codebook")
    return 0


def _document_changes(store, run_id: int, *, orphaned: int) -> list[str]:
    """What a run did to the store's documents: counts, then each move and each new file
    that did not get its own name as id (because another document holds it)."""
    changes = store.document_changes(run_id)
    count = changes["change"].value_counts()
    lines = [f"documents: {count.get('added', 0)} added, {count.get('kept', 0)} kept, "
             f"{count.get('updated', 0)} with new text, {count.get('moved', 0)} moved; {max(orphaned, 0)} "
             "correction(s) orphaned by this run"]
    owners = dict(zip(store.documents()["doc_id"], store.documents()["path"], strict=True))
    for c in changes.itertuples():
        if c.change == "moved":
            lines.append(f"moved: {c.doc_id}: {c.previous_path} → {c.path}")
        elif c.change == "added" and c.doc_id != c.proposed and c.proposed in owners:
            lines.append(f"added: {c.doc_id} ({c.path}; the id {c.proposed!r} belongs to "
                         f"{owners[c.proposed]})")
    return lines


def _export(args: argparse.Namespace) -> int:
    from workbench.export import export

    _from_project(args, store="store", out="exports")
    if args.out is None:
        raise UserError("name the folder to write into with --out, or a project with --project")
    with _open_store(args.store) as store:
        files = export(store, args.out, annotator=args.annotator, labels=args.labels, format=args.format,
                       compare=not args.no_compare)
    print(f"wrote {len(files)} file(s) to {args.out}: {', '.join(p.name for p in files.values())}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from workbench.export import export_comparison

    with _open_store(args.store) as store:
        files = export_comparison(store, args.out, annotator=args.annotator, labels=args.labels,
                                  reused=args.reused, charts=not args.no_charts)
    read = {"encoding": "utf-8-sig", "keep_default_na": False}
    clusters = pd.read_csv(files["reuse_clusters"], **read)
    articles = pd.read_csv(files["reuse_articles"], **read)
    near = pd.read_csv(files["reuse_near_duplicates"], **read)
    tables = [p for p in files.values() if p.suffix == ".csv"]
    charts = [p for p in files.values() if p.suffix == ".png"]
    print(f"{len(clusters)} reused passage(s) shared by {(articles['clusters'] > 0).sum()} of "
          f"{len(articles)} article(s), {len(near)} near-duplicate pair(s); wrote {len(tables)} table(s) "
          f"and {len(charts)} chart(s) (PNG and SVG) to {args.out}, listed in {files['manifest'].name}")
    for row in near.itertuples():
        print(f"  near-duplicate: {row.doc_id_a} and {row.doc_id_b} (similarity {row.similarity:.2f})")
    return 0


def _import_codebook(args: argparse.Namespace) -> int:
    import tomllib

    from workbench.refi import codebook_from_qdc

    written = codebook_from_qdc(args.file, args.out, base=args.base, overwrite=args.force)
    topics = tomllib.loads(written.read_text(encoding="utf-8")).get("topics", [])
    print(f"wrote {written}: {len(topics)} topic(s) from the codes of {args.file}, each with an empty "
          "`terms` list (coded by hand only until you add the words that raise it); annotate with --codebook")
    return 0


def _import_corrections(args: argparse.Namespace) -> int:
    from workbench.store import import_corrections

    _from_project(args, store="store", file="corrections")
    if args.file is None:
        raise UserError("name the corrected FILE.csv or folder, or a project with --project")
    with _open_store(args.store) as store:
        added = import_corrections(store, args.file, annotator=args.annotator)
    print(f"journaled {len(added)} correction(s) from {args.file} by {args.annotator!r} into {args.store}")
    for warning in added.attrs.get("warnings", []):
        print(f"  warning: {warning}")
    conflicts = added[added["conflict"]].drop_duplicates(["file", "row", "field"])
    if len(conflicts):
        print(f"  {len(conflicts)} cell(s) were also changed by someone else after the export; "
              "the file's value was applied:")
    for c in conflicts.itertuples():
        print(
            f"  conflict: {c.file} row {c.row}, {c.field}: {c.imported!r} (the file) replaced {c.previous!r}"
        )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    _from_project(args, store="store")
    from workbench.evaluate import evaluate, format_report, read_gold

    gold = read_gold(args.gold)
    with _open_store(args.store) as store:
        predicted = store.sentences(corrections=not args.automatic)
        documents = store.documents()
    report = evaluate(gold, predicted, documents=documents)
    print(format_report(report))
    for warning in report.attrs.get("warnings", []):
        print(f"  warning: {warning}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    with _open_store(args.store) as store:
        dest = store.backup(args.dest)
        counts = (len(store.documents()), store.sentence_count(), store.last_entry_id())
    print(f"backed up {args.store} to {dest}: {counts[0]} document(s), {counts[1]} sentence(s), journal up "
          f"to entry {counts[2]}")
    return 0


def _charts(args: argparse.Namespace) -> int:
    from workbench.charts import save_all

    _from_project(args, store="store", out="charts")
    if args.out is None:
        raise UserError("name the folder to write into with --out, or a project with --project")
    with _open_store(args.store) as store:  # the charts of the store's current view
        written = save_all(store, None, args.out, labels=args.labels)
    names = [p.name for p in written]
    print(f"wrote {len(names)} chart file(s) to {args.out}" + (f": {', '.join(names)}" if names else ""))
    return 0


def _add_new_project(sub: Any) -> None:
    """The ``new-project`` subcommand."""
    p = sub.add_parser("new-project", help="make a folder a project: workbench.toml and the notebooks")
    p.add_argument("folder", metavar="FOLDER", help="the project folder, e.g. the folder of your articles")
    p.add_argument("--articles", nargs="+", metavar="PATH", help="article folders or files (default: FOLDER)")
    p.add_argument("--name", help="the project's name (default: the folder's name)")
    p.add_argument("--codebook", help="your own TOML codebook (default: the built-in one)")
    p.add_argument("--no-notebooks", action="store_true",
                   help="do not copy the notebooks into FOLDER/notebooks")
    p.set_defaults(run=_new_project)


def _add_import_codebook(sub: Any) -> None:
    p = sub.add_parser("import-codebook", help="make a starting codebook from a REFI-QDA codebook (.qdc)")
    p.add_argument("file", metavar="FILE.qdc", help="a .qdc (or .qdpx) from MAXQDA, ATLAS.ti, NVivo …")
    p.add_argument("--out", required=True, metavar="CODEBOOK.toml", help="the codebook file to write")
    p.add_argument("--base", help="copy actors, statement types and cues from this codebook "
                                  "(default: the built-in one)")
    p.add_argument("--force", action="store_true", help="replace --out when it exists")
    p.set_defaults(run=_import_codebook)


def _add_backup(sub: Any) -> None:
    p = sub.add_parser("backup", help="copy the store into one complete file, safe while it is in use")
    p.add_argument("store", metavar="STORE.sqlite")
    p.add_argument("dest", metavar="DEST", help="a new file, or a folder for a dated copy")
    p.set_defaults(run=_backup)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``workbench`` command (one subcommand per task)."""
    from workbench.files import FORMATS

    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Arabic analyst workbench: annotate articles, correct, export tables and charts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", metavar="FOLDER",
                         help="a project folder (its workbench.toml gives what is not named here); default: "
                              "the project of the current folder unless --store is given")

    _add_new_project(sub)
    p = sub.add_parser("annotate", parents=[project],
                       help="annotate articles into a store (keeps every correction)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="article files or folders (default: the project's)")
    p.add_argument("--store", help="the store file (created when missing; default: the project's)")
    p.add_argument("--codebook", help="a TOML codebook (default: the built-in one)")
    p.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                   help="annotate on a Dask cluster (tcp://HOST:8786); needs workbench[dask]")
    p.set_defaults(run=_annotate)

    p = sub.add_parser("export", parents=[project],
                       help="write sentences.csv, mentions.csv, tables and manifest.json, or a workbook or "
                            "REFI-QDA file")
    p.add_argument("--store", help="the store file (default: the project's)")
    p.add_argument("--out", help="the folder to write into (default: the project's exports)")
    p.add_argument("--annotator", help="only this annotator's corrections (default: everyone's)")
    p.add_argument("--labels", choices=["ar", "en", "both"], help="add topic/actor labels to the tables")
    p.add_argument("--format", choices=list(FORMATS), default="csv",
                   help="csv (default), xlsx (one workbook), qdpx (REFI-QDA project), "
                        "qdc (REFI-QDA codebook)")
    p.add_argument("--no-compare", action="store_true",
                   help="csv: leave out the tables comparing outlets (text reuse, outlet profiles)")
    p.set_defaults(run=_export)

    _add_import_codebook(sub)
    p = sub.add_parser("import-corrections", parents=[project],
                       help="journal the edits of a sentences.csv or workbook as corrections")
    p.add_argument("file", metavar="FILE.csv|FILE.xlsx", nargs="?",
                   help="an edited sentences.csv or workbook, or a folder: its *.csv and *.xlsx in "
                        "name order (default: the project's corrections)")
    p.add_argument("--store", help="the store file (default: the project's)")
    p.add_argument("--annotator", required=True, help="who made the edits")
    p.set_defaults(run=_import_corrections)

    p = sub.add_parser("evaluate", parents=[project], help="precision, recall and F1 against gold files")
    p.add_argument("--gold", required=True, metavar="GOLD", help="gold CSV (sentences, paragraphs) or folder")
    p.add_argument("--store", help="the store file (default: the project's)")
    p.add_argument("--automatic", action="store_true", help="score the automatic layer, ignoring corrections")
    p.set_defaults(run=_evaluate)

    p = sub.add_parser("charts", parents=[project], help="write every chart as PNG and SVG")
    p.add_argument("--store", help="the store file (default: the project's)")
    p.add_argument("--out", help="the folder to write into (default: the project's charts)")
    p.add_argument("--labels", choices=["ar", "en", "both"], default="both", help="language of chart labels")
    p.set_defaults(run=_charts)

    p = sub.add_parser("compare", help="compare the outlets: shared wire copy, who speaks, what each "
                                       "stresses, coverage over time (tables, charts, comparison.json)")
    p.add_argument("--store", required=True)
    p.add_argument("--out", required=True, help="the folder to write into (a folder of its own)")
    p.add_argument("--annotator", help="only this annotator's corrections (default: everyone's)")
    p.add_argument("--labels", choices=["ar", "en", "both"], help="labels in the tables (charts: both)")
    p.add_argument("--reused", choices=["all", "once"], default="all",
                   help="count a passage several articles share once ('once') or in every copy")
    p.add_argument("--no-charts", action="store_true", help="write the tables only")
    p.set_defaults(run=_compare)

    _add_backup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``workbench`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 2 on an error the user can fix.
    """
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UserError, OSError, ValueError, sqlite3.DatabaseError) as exc:
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        message = str(exc) or type(exc).__name__
        if isinstance(exc, OSError) and exc.filename and str(exc.filename) not in message:
            message = f"{exc.filename}: {message}"
        print(f"workbench {args.command}: error: {message}", file=sys.stderr)
        return USER_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
