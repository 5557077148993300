"""scripts/screenshot.py, the pictures in docs/screenshots/: its cheapest run (the facilitator page
in one language) writes a picture of the right size into the folder given, and the folder's
README lists every picture the script takes."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from support.browser import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshot.py"
RUN_BUDGET_S = 110  # below pytest's own timeout, so that a stuck run says what it printed
PHONE_RUN_BUDGET_S = 280


def test_the_script_photographs_the_facilitator_page_into_the_folder_given(tmp_path: Path) -> None:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does it as root)"
    hero = ROOT / "docs" / "projector.png"
    hero_before = hero.stat().st_mtime_ns if hero.exists() else None
    out = tmp_path / "pictures"
    run = subprocess.run([sys.executable, str(SCRIPT), "--only", "facilitator", "--lang", "en", "--out", str(out)],
                         capture_output=True, text=True, timeout=RUN_BUDGET_S, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["facilitator-en.png"]
    with Image.open(out / "facilitator-en.png") as picture:
        assert picture.format == "PNG"
        assert picture.size == (1366, 768)
        # Not a blank page: the form, its links and the QR code make many shades.
        assert len(picture.convert("L").getcolors(256) or []) > 8
    assert "1 pictures in" in run.stdout
    # The README's picture is refreshed only by a run into docs/screenshots.
    assert (hero.stat().st_mtime_ns if hero.exists() else None) == hero_before


@pytest.mark.timeout(PHONE_RUN_BUDGET_S + 20)
def test_the_script_takes_the_phone_through_the_whole_meeting(tmp_path: Path) -> None:
    """The phone's pictures need every step of the sample meeting, driven through the phone's own
    page (its code typed, the floor asked for, a ballot chosen and confirmed, an objection): the
    run that breaks first when a page changes."""
    out = tmp_path / "pictures"
    run = subprocess.run([sys.executable, str(SCRIPT), "--only", "phone", "--lang", "zh", "--out", str(out)],
                         capture_output=True, text=True, timeout=PHONE_RUN_BUDGET_S, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    taken = sorted(p.name for p in out.iterdir())
    assert {"phone-checkin.png", "phone-poll-open.png", "phone-voted.png", "phone-objection.png",
            "phone-ended.png"} <= set(taken), taken
    with Image.open(out / "phone-voted.png") as picture:
        assert picture.size[0] == 720  # 360 px at twice the pixels


def test_the_screenshots_readme_lists_every_picture() -> None:
    spec = importlib.util.spec_from_file_location("screenshot_script", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(script)
    finally:
        del sys.modules[spec.name]
    assert len(script.SHOTS) >= 18
    readme = (ROOT / "docs" / "screenshots" / "README.md").read_text(encoding="utf-8")
    for name, (_, in_english) in script.SHOTS.items():
        assert f"({name}.png)" in readme, f"docs/screenshots/README.md does not show {name}.png"
        if in_english:
            assert f"({name}-en.png)" in readme, f"docs/screenshots/README.md does not show {name}-en.png"
    assert "python scripts/screenshot.py" in readme
    assert "docs/screenshots/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")
