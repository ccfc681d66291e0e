"""Edit a workbook in a real LibreOffice, as an analyst types, and save it as .xlsx.

Run with a Python that has LibreOffice's UNO bridge (Debian: ``python3-uno``, the system
``python3``), not the project's environment::

    /usr/bin/python3 tests/office_edit.py IN.xlsx OUT.xlsx PROFILE_DIR EDITS_JSON

``EDITS_JSON`` is a list of ``[sheet, row, column, text]`` (row and column from 1, as the
sheet shows them); each ``text`` is entered through the view's input line
(``.uno:EnterString``), the way a typed entry is taken, so LibreOffice reads it as it would
read keystrokes (numbers, dates, formulas — unless the cell is formatted as text). With no
edits the workbook is only opened and saved again. Nothing else is changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


def edit(source, target, profile, edits):
    pipe = f"workbench-{uuid.uuid4().hex[:12]}"
    office = subprocess.Popen([
        "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
        "--nologo", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ])
    desktop = None
    try:
        context = _connect(pipe)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        url = uno.systemPathToFileUrl(os.path.abspath(source))
        document = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
        controller = document.getCurrentController()
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        for sheet_name, row, column, text in edits:
            sheet = document.Sheets.getByName(sheet_name)
            controller.setActiveSheet(sheet)
            controller.select(sheet.getCellByPosition(column - 1, row - 1))
            dispatcher.executeDispatch(controller.getFrame(), ".uno:EnterString", "", 0,
                                       (_prop("StringName", text),))
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        try:
            document.close(True)
        except Exception:  # LibreOffice 7.4 now and then aborts in a timer while closing (signal 6);
            pass  # storeToURL has returned, so the file is written: the caller reads what was saved
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:  # the bridge closes as LibreOffice quits
                pass
        try:
            office.wait(60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    edit(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
