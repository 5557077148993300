"""Python started with this folder on PYTHONPATH behaves as on a computer that lacks parts of a
Linux one, as named in YISHI_TEST_WITHOUT (comma-separated):

- a module name (`resource`, `fcntl`, `pwd`, `grp`, `typst`): importing it fails as on Windows,
  or as where a package is missing;
- `pango`: weasyprint, which needs pango, fails to load its system libraries, as on a Windows PC
  without GTK (the minutes no longer use it: the log shows that nothing tried).

Used through tests/support/process.py (`without`) to run the real `yishi` in such a process;
YISHI_TEST_WITHOUT_LOG names a file that lists every import refused.
"""
from __future__ import annotations

import importlib.abc
import os
import sys

WITHOUT = {name.strip() for name in os.environ.get("YISHI_TEST_WITHOUT", "").split(",") if name.strip()}


LOG = os.environ.get("YISHI_TEST_WITHOUT_LOG", "")


def _refused(name: str) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(name + "\n")


class _Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname in WITHOUT:
            _refused(fullname)
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        if "pango" in WITHOUT and (fullname == "weasyprint" or fullname.startswith("weasyprint.")):
            _refused(fullname)
            # What cffi says on Windows when GTK is not installed (weasyprint's text/ffi.py).
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e.  Additionally, ctypes.util."
                          "find_library() did not manage to locate a library called 'libgobject-2.0-0'")
        return None


if WITHOUT:
    sys.meta_path.insert(0, _Missing())
    for name in list(sys.modules):  # anything the interpreter's start already imported
        if name in WITHOUT:
            del sys.modules[name]
