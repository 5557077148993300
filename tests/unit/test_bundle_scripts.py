"""The scripts of the offline bundle (scripts/bundle.py), as the person at the hall's computer meets
them: Windows scripts that say their Chinese readably on a Chinese console (code page 936) and on
an English one (437), install from the wheels beside them with no index, and leave the console's
code page as they found it; shell scripts that run; a README.txt that old Notepad reads."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("yishi_bundle", REPO / "scripts" / "bundle.py")
assert _spec is not None and _spec.loader is not None
bundle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle)

VERSION = "0.9.1"
BOM = b"\xef\xbb\xbf"
WINDOWS = sorted(t for t in bundle.TARGETS if t.startswith("windows"))
OTHERS = sorted(t for t in bundle.TARGETS if not t.startswith("windows"))

# What each script says, whole, as the user should read it.
INSTALL_SAYS = [
    "没有找到 Python 3.11：请先安装 python.org 的 Python 3.11 / Python 3.11 was not found: install it from python.org first",
    "安装失败 / the installation failed",
    "安装完成：双击 start-yishi.cmd 启动 / installed: double-click start-yishi.cmd to start",
]
START_SAYS = ["还没有安装：请先双击 install.cmd / not installed yet: double-click install.cmd first"]
RESTORE = re.compile(r"^chcp %(\w+)% >nul$", re.I)


def made(tmp_path: Path, target: str) -> Path:
    folder = tmp_path / f"yishi-offline-{target}"
    folder.mkdir()
    bundle.write_scripts(folder, target, "3.11", VERSION)
    return folder


def as_cmd_reads(raw: bytes, console: str) -> list[str]:
    """The lines as cmd.exe reads them in a console of code page `console`: it decodes each line with
    the code page current when it gets there, so a `chcp 65001` changes how every later line reads."""
    page, lines = console, []
    for line in raw.split(b"\r\n"):
        text = line.decode(page, "replace")
        lines.append(text.strip())
        if text.strip().lower() == "chcp 65001 >nul":
            page = "utf-8"
    return lines


def echoed(lines: list[str]) -> list[str]:
    return [line[len("echo "):] for line in lines if line.lower().startswith("echo ")]


@pytest.mark.parametrize("target", WINDOWS)
@pytest.mark.parametrize("console", ["cp936", "cp437"])
def test_the_windows_scripts_say_their_chinese_whole_on_a_chinese_and_an_english_console(tmp_path: Path, target: str,
                                                                                          console: str) -> None:
    folder = made(tmp_path, target)
    for name, says in (("install.cmd", INSTALL_SAYS), ("start-yishi.cmd", START_SAYS)):
        raw = (folder / name).read_bytes()
        assert echoed(as_cmd_reads(raw, console)) == says, name
        # A UTF-8 BOM would make cmd read the first line as "ï»¿@echo off": a command it cannot find.
        assert raw.startswith(b"@echo off\r\n"), raw[:20]
        # Everything cmd reads before switching is ASCII: the same in every code page.
        before = raw[:raw.index(b"\r\nchcp 65001 >nul\r\n")]
        assert before.isascii(), before


@pytest.mark.parametrize("target", WINDOWS)
def test_the_windows_scripts_have_crlf_line_endings(tmp_path: Path, target: str) -> None:
    folder = made(tmp_path, target)
    for name in ("install.cmd", "start-yishi.cmd", "README.txt"):
        raw = (folder / name).read_bytes()
        assert raw.endswith(b"\r\n"), name
        assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r"), f"{name} has a line not ending in CRLF"


@pytest.mark.parametrize("target", WINDOWS)
def test_every_way_out_of_a_windows_script_gives_the_console_back_its_code_page(tmp_path: Path, target: str) -> None:
    """Run from a console the user keeps open, a script must not leave it in UTF-8: before each
    `exit /b` (and the script's end), and before Yishi starts (Ctrl+C stops Yishi and may end the
    script there), the last `chcp` is back to the code page noted before switching."""
    folder = made(tmp_path, target)
    for name in ("install.cmd", "start-yishi.cmd"):
        lines = [line for line in as_cmd_reads((folder / name).read_bytes(), "cp936") if line]
        switch = lines.index("chcp 65001 >nul")
        noted = [m.group(1) for line in lines[:switch] if (m := re.search(r'set "(\w+)=%%~nb"', line))]
        assert len(noted) == 1, lines[:switch]
        exits = [i for i, line in enumerate(lines) if line.lower().startswith("exit /b") or "yishi.exe serve" in line]
        assert exits and len(lines) - 1 in exits, f"{name} does not end with exit /b"
        for i in exits:
            last = max(j for j in range(i) if lines[j].lower().startswith("chcp "))
            assert (m := RESTORE.match(lines[last])) and m.group(1) == noted[0], (name, lines[i], lines[last])
            # Nothing in Chinese is said after the console is switched back.
            assert all(line.isascii() for line in lines[last:i]), (name, lines[last:i])


@pytest.mark.parametrize("target", WINDOWS)
def test_the_windows_install_uses_only_the_wheels_beside_it(tmp_path: Path, target: str) -> None:
    folder = made(tmp_path, target)
    lines = [line for line in as_cmd_reads((folder / "install.cmd").read_bytes(), "cp936") if line]
    pip = [i for i, line in enumerate(lines) if " -m pip install " in line]
    assert len(pip) == 1, lines
    assert lines[pip[0]] == r"venv\Scripts\python -m pip install --no-index --find-links wheels yishi"
    # `wheels` is relative: the script first goes to its own folder, wherever it was double-clicked from.
    assert 'cd /d "%~dp0"' in lines[:pip[0]]
    start = [line for line in as_cmd_reads((folder / "start-yishi.cmd").read_bytes(), "cp936") if "serve" in line]
    assert start == [r'venv\Scripts\yishi.exe serve --data "%~dp0yishi-data"']


@pytest.mark.parametrize("target", OTHERS)
def test_the_shell_scripts_are_executable_with_lf_and_install_with_no_index(tmp_path: Path, target: str) -> None:
    folder = made(tmp_path, target)
    assert not list(folder.glob("*.cmd"))
    for name in ("install.sh", "start-yishi.sh"):
        path = folder / name
        raw = path.read_bytes()
        assert raw.startswith(b"#!/bin/sh\n") and b"\r" not in raw, name
        assert os.stat(path).st_mode & 0o111 == 0o111, oct(os.stat(path).st_mode)
        checked = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    install = (folder / "install.sh").read_text(encoding="utf-8")
    assert "venv/bin/python -m pip install --no-index --find-links wheels yishi\n" in install
    assert 'cd "$(dirname "$0")"\n' in install
    assert "安装完成：运行 ./start-yishi.sh 启动 / installed: run ./start-yishi.sh to start" in install


def test_the_shell_install_stops_without_reaching_an_index(tmp_path: Path) -> None:
    """Run for real with an empty wheels folder and no Python of the bundle's version: it falls back
    to python3, makes its venv, finds no yishi wheel beside it, and stops with pip's error rather
    than fetching anything or saying it installed."""
    if shutil.which("python3") is None:
        pytest.fail("python3 is needed to run install.sh")
    folder = made(tmp_path, "linux")
    (folder / "wheels").mkdir()
    env = {**os.environ, "PYTHON": "python-none-such", "PIP_INDEX_URL": "http://127.0.0.1:9/simple"}
    done = subprocess.run(["./install.sh"], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0, done.stdout
    assert "安装完成" not in done.stdout
    assert "No matching distribution found for yishi" in done.stderr, done.stderr
    assert "127.0.0.1:9" not in done.stderr


@pytest.mark.parametrize("target", sorted(bundle.TARGETS))
def test_the_readme_opens_in_old_notepad(tmp_path: Path, target: str) -> None:
    """Notepad before Windows 10 (1903) takes a file without a BOM for the ANSI code page, and a
    file without CRLF for one long line."""
    folder = made(tmp_path, target)
    raw = (folder / "README.txt").read_bytes()
    assert raw.startswith(BOM), raw[:10]
    text = raw[len(BOM):].decode("utf-8")
    assert text.startswith("Yishi 议事 — 离线安装包 / offline bundle")
    assert f"系统 / system: {target}" in text and f"Yishi: {VERSION}" in text
    windows = target.startswith("windows")
    install, start = ("install.cmd", "start-yishi.cmd") if windows else ("./install.sh", "./start-yishi.sh")
    assert f"安装一次 / install once:  {install}" in text and f"每次开会 / for each meeting:  {start}" in text
    if windows:
        assert raw.count(b"\n") == raw.count(b"\r\n")
    else:
        assert b"\r" not in raw
