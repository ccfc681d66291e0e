"""How v8-14654ec.sqlite and its companions were made, with the workbench of commit 14654ec
(main with migrations 1-8, before issue 13's lean store, migration 9).

    git worktree add --detach /tmp/wb_v8 14654ec
    cd tests/data/stores && PYTHONPATH=/tmp/wb_v8 python make_v8_store.py

writes v8-14654ec.sqlite (the store), v8-14654ec-view.csv and v8-14654ec-mentions.csv (its
view as that version read it), v8-14654ec-dtypes.json (the view's dtypes),
v8-14654ec-journal.csv, v8-14654ec-exports.csv and v8-14654ec-sentences.csv (the
sentences.csv of its export). test_store.py checks that the current workbench opens and
migrates it with everything intact, that the export imports back, and that re-annotating
keeps every id and correction.
"""

import json
import shutil

import workbench as wb
from workbench.export import export
from workbench.store import Store

ann = wb.annotate(wb.load_corpus("articles"))
with Store("v8-14654ec.sqlite") as s:
    s.save_annotations(ann)
    ids = s.sentence_ids()
    s.correct(ids[1], "topics", "add", "minsk", annotator="huda")
    s.correct(ids[1], "note", "set", "راجع الترجمة", annotator="huda")
    s.correct(ids[2], "speaker", "set", "putin", annotator="omar")
    s.correct(ids[3], "furniture", "set", "caption", annotator="omar")
    s.correct(ids[0], "reviewed", "set", True, annotator="omar")
    s.correct(ids[4], "speaker", "set", "putin", annotator="huda")
    s.correct(ids[4], "statement_type", "set", "warning", annotator="huda")
    s.reset_to_automatic(ids[4], annotator="huda")  # one batch (migration 6)
    s.correct(ids[5], "actors", "add", "putin", annotator="omar")
    s.undo(annotator="omar")  # an undo entry
    s.save_annotations(wb.annotate(wb.load_corpus("articles")))  # a second run: every document kept
    export(s, "export-v8", compare=False)  # what it wrote is recorded (migration 8)
    sentences, mentions = s.view()
    sentences.to_csv("v8-14654ec-view.csv", index=False)
    mentions.to_csv("v8-14654ec-mentions.csv", index=False)
    with open("v8-14654ec-dtypes.json", "w") as f:
        json.dump({"sentences": {c: str(t) for c, t in sentences.dtypes.items()},
                   "mentions": {c: str(t) for c, t in mentions.dtypes.items()}}, f, indent=1)
    s.journal().to_csv("v8-14654ec-journal.csv", index=False)
    s.exports().to_csv("v8-14654ec-exports.csv", index=False)
shutil.copy("export-v8/sentences.csv", "v8-14654ec-sentences.csv")
shutil.rmtree("export-v8")
