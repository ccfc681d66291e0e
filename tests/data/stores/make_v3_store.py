"""How v3-477a952.sqlite and its companions were made, with the workbench of commit 477a952.

    git archive 477a952 workbench | tar -x -C /tmp/wb477
    cd tests/data/stores && PYTHONPATH=/tmp/wb477 python make_v3_store.py

writes v3-477a952.sqlite (the store), v3-477a952-view.csv (its view as that version read
it) and export/ (its export; export/sentences.csv is kept as v3-477a952-sentences.csv).
test_store.py checks that the current workbench opens, migrates and imports into it.
"""

import workbench as wb
from workbench.export import export
from workbench.store import Store

ann = wb.annotate(wb.load_corpus("articles"))
with Store("v3-477a952.sqlite") as s:
    s.save_annotations(ann)
    ids = s.sentence_ids()
    s.correct(ids[1], "topics", "add", "minsk", annotator="huda")
    s.correct(ids[1], "note", "set", "راجع الترجمة", annotator="huda")
    s.correct(ids[2], "speaker", "set", "putin", annotator="omar")
    s.undo(annotator="omar")
    s.correct(ids[0], "reviewed", "set", True, annotator="omar")
    export(s, "export")
    s.sentences().to_csv("v3-477a952-view.csv", index=False)
