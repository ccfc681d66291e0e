"""How v5-de949e8.sqlite and its companions were made, with the workbench of commit de949e8
(main with issue 11's migration 4 and review-15's migration 5, before issue 10's 6-8).

    git archive de949e8 workbench | tar -x -C /tmp/wb_v5
    cd tests/data/stores && PYTHONPATH=/tmp/wb_v5 python make_v5_store.py

writes v5-de949e8.sqlite (the store), v5-de949e8-view.csv (its view as that version read
it) and export-v5/ (its export; export-v5/sentences.csv is kept as v5-de949e8-sentences.csv).
test_store.py checks that the current workbench opens, migrates, re-annotates and imports
into it.
"""

import workbench as wb
from workbench.export import export
from workbench.store import Store

ann = wb.annotate(wb.load_corpus("articles"))
with Store("v5-de949e8.sqlite") as s:
    s.save_annotations(ann)
    ids = s.sentence_ids()
    s.correct(ids[1], "topics", "add", "minsk", annotator="huda")
    s.correct(ids[1], "note", "set", "راجع الترجمة", annotator="huda")
    s.correct(ids[2], "speaker", "set", "putin", annotator="omar")
    s.correct(ids[3], "furniture", "set", "caption", annotator="omar")  # a field migration 4 added
    s.correct(ids[0], "reviewed", "set", True, annotator="omar")
    s.correct(ids[4], "speaker", "set", "putin", annotator="huda")
    s.correct(ids[4], "statement_type", "set", "warning", annotator="huda")
    s.reset_to_automatic(ids[4], annotator="huda")  # two entries, each undone alone in this version
    export(s, "export-v5", compare=False)
    s.sentences().to_csv("v5-de949e8-view.csv", index=False)
