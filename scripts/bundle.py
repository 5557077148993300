#!/usr/bin/env python3
"""An offline bundle of Yishi: a folder (and, with --zip, a zip of it) holding Yishi and every
library it needs as wheels, with scripts that install and start it on a computer with no
internet, such as the laptop in a meeting hall.

Run it on a connected machine, from the source folder:

    python scripts/bundle.py                          # for this machine's system and Python
    python scripts/bundle.py --platform windows --python 3.11 --zip
    python scripts/bundle.py --platform macos-arm --python 3.12

For this machine's own system and Python, pip alone does the work. For another one, pip cannot
choose the dependencies by itself (it evaluates a package's conditions, e.g. "uvloop except on
Windows", for the machine it runs on), so uv resolves them for the target first
(`pip install uv`), and pip then downloads exactly those wheels for the target's tags.

On the computer in the hall, copy the folder and run install.cmd (Windows) or install.sh
(Linux, macOS) once, then start-yishi.cmd / start-yishi.sh. See docs/install.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The targets a community office has, as uv names them and as wheels are tagged (pip widens a
# macOS tag to the older versions it covers, and a manylinux tag to the older glibc ones).
TARGETS = {
    "windows": ("x86_64-pc-windows-msvc", ["win_amd64"]),
    "windows-32": ("i686-pc-windows-msvc", ["win32"]),
    "macos-arm": ("aarch64-apple-darwin", ["macosx_11_0_arm64"]),
    "macos-intel": ("x86_64-apple-darwin", ["macosx_10_13_x86_64"]),
    "linux": ("x86_64-unknown-linux-gnu", ["manylinux_2_28_x86_64"]),
    "linux-arm": ("aarch64-unknown-linux-gnu", ["manylinux_2_28_aarch64"]),
}

# A .cmd file is read by cmd.exe in the console's code page: 936 (GBK) on a Chinese Windows, 437 on
# an English one. The scripts are UTF-8 and switch the console to UTF-8 (65001) before their first
# non-ASCII line, so that their Chinese reads whole on both (a GBK file would be mojibake on 437,
# and its trail bytes could be read there as "|" or "^"). They note the code page they found and
# give it back on the way out, so a console the user keeps open is left as it was. Everything
# before the switch must stay ASCII; no BOM, which cmd would read as part of "@echo off".
CMD_HEAD = r"""@echo off
setlocal
for /f "tokens=*" %%a in ('chcp') do for %%b in (%%a) do set "YISHI_CP=%%~nb"
chcp 65001 >nul
"""

# The one way out: the console's own code page back before the window waits for a key.
CMD_LEAVE = r"""
:leave
chcp %YISHI_CP% >nul
pause
exit /b %YISHI_EXIT%
"""

INSTALL_CMD = CMD_HEAD + r"""rem Installs Yishi from the wheels beside this file: no internet needed.
cd /d "%~dp0"
set "YISHI_EXIT=1"
where py >nul 2>nul && (py -{python} -m venv venv) || (python -m venv venv)
if errorlevel 1 (
  echo 没有找到 Python {python}：请先安装 python.org 的 Python {python} / Python {python} was not found: install it from python.org first
  goto leave
)
venv\Scripts\python -m pip install --no-index --find-links wheels yishi
if errorlevel 1 (
  echo 安装失败 / the installation failed
  goto leave
)
echo 安装完成：双击 start-yishi.cmd 启动 / installed: double-click start-yishi.cmd to start
set "YISHI_EXIT=0"
goto leave
""" + CMD_LEAVE

START_CMD = CMD_HEAD + r"""rem Starts Yishi; the data stays in the yishi-data folder beside this file.
cd /d "%~dp0"
set "YISHI_EXIT=1"
if not exist venv\Scripts\yishi.exe (
  echo 还没有安装：请先双击 install.cmd / not installed yet: double-click install.cmd first
  goto leave
)
rem Yishi is stopped with Ctrl+C, which may end this script at once: the code page goes back first
rem (Yishi writes its Chinese to the console in any code page).
chcp %YISHI_CP% >nul
venv\Scripts\yishi.exe serve --data "%~dp0yishi-data"
set "YISHI_EXIT=%errorlevel%"
goto leave
""" + CMD_LEAVE

INSTALL_SH = """#!/bin/sh
# Installs Yishi from the wheels beside this file: no internet needed.
set -e
cd "$(dirname "$0")"
PYTHON=${{PYTHON:-python{python}}}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -m venv venv
venv/bin/python -m pip install --no-index --find-links wheels yishi
echo "安装完成：运行 ./start-yishi.sh 启动 / installed: run ./start-yishi.sh to start"
"""

START_SH = """#!/bin/sh
# Starts Yishi; the data stays in the yishi-data folder beside this file.
cd "$(dirname "$0")"
exec venv/bin/yishi serve --data "$(pwd)/yishi-data" "$@"
"""

README = """Yishi 议事 — 离线安装包 / offline bundle
系统 / system: {platform}    Python: {python}    Yishi: {version}

1. 把整个文件夹复制到会议室的电脑上（U 盘即可）。
   Copy this whole folder to the computer in the meeting room (a USB stick will do).
2. 安装一次 / install once:  {install}
3. 每次开会 / for each meeting:  {start}
   终端会显示手机扫码的地址和二维码；Windows 防火墙询问时，请允许“专用网络”访问。
   The console shows the address and QR code for phones; when the Windows firewall asks,
   allow access on private networks.

需要 Python {python}（python.org 的安装程序）。Needs Python {python} (the installer from python.org).
详见 / more: docs/install.md
"""


def run(cmd: list[str], what: str) -> None:
    print(f"bundle: {what}", file=sys.stderr, flush=True)
    done = subprocess.run(cmd)
    if done.returncode != 0:
        raise SystemExit(f"bundle: {what} failed (exit {done.returncode}): {' '.join(cmd)}")


def this_machine() -> tuple[str, str]:
    """The target name and Python version of the running interpreter."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    machine = platform.machine().lower()
    if system == "macos":
        system = "macos-arm" if machine in ("arm64", "aarch64") else "macos-intel"
    elif system == "linux" and machine in ("arm64", "aarch64"):
        system = "linux-arm"
    elif system == "windows" and sysconfig.get_platform() == "win32":
        system = "windows-32"
    return system, f"{sys.version_info.major}.{sys.version_info.minor}"


def build_wheel(out: Path) -> Path:
    """Yishi's own wheel, built from this source folder."""
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(REPO)], "building Yishi's wheel")
    wheels = sorted(out.glob("yishi-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"bundle: expected one Yishi wheel in {out}, found {[w.name for w in wheels]}")
    return wheels[0]


def gather(wheel: Path, wheels: Path, target: str, python: str, here: bool) -> None:
    """Every dependency of `wheel` as a wheel in `wheels`."""
    if here:
        # pip resolves for this very interpreter; `pip wheel` also builds any library published
        # only as source, so that the hall's computer never has to.
        run([sys.executable, "-m", "pip", "wheel", "--wheel-dir", str(wheels), str(wheel)],
            "downloading the libraries (pip wheel)")
        return
    uv = shutil.which("uv") or _uv_module()
    if uv is None:
        raise SystemExit("bundle: for another system or Python, uv resolves the libraries: pip install uv")
    triple, tags = TARGETS[target]
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "requirements.txt"
        source = Path(tmp) / "requirements.in"
        source.write_text(f"yishi @ {wheel.resolve().as_uri()}\n")
        run([*uv, "pip", "compile", "--quiet", "--python-platform", triple, "--python-version", python,
             "--only-binary", ":all:", "--no-header", "--no-annotate", "-o", str(pins), str(source)],
            f"choosing the libraries for {target}, Python {python} (uv pip compile)")
        pinned = [line for line in pins.read_text().splitlines() if line.strip() and not line.startswith(("#", "yishi"))]
        pins.write_text("\n".join(pinned) + "\n")
        platforms = [arg for tag in tags for arg in ("--platform", tag)]
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", *platforms,
             "--python-version", python, "--implementation", "cp", "--dest", str(wheels), "-r", str(pins)],
            f"downloading the wheels for {target} (pip download)")


def _uv_module() -> list[str] | None:
    try:
        import uv  # type: ignore[import-not-found]
    except ImportError:
        return None
    return [uv.find_uv_bin()]


def write_scripts(out: Path, target: str, python: str, version: str) -> None:
    windows = target.startswith("windows")
    if windows:
        # newline="\r\n": cmd.exe can miss a label (`goto leave`) in a file with bare LF line endings.
        (out / "install.cmd").write_text(INSTALL_CMD.format(python=python), encoding="utf-8", newline="\r\n")
        (out / "start-yishi.cmd").write_text(START_CMD, encoding="utf-8", newline="\r\n")
        install, start = "install.cmd", "start-yishi.cmd"
    else:
        for name, text in (("install.sh", INSTALL_SH.format(python=python)), ("start-yishi.sh", START_SH)):
            (out / name).write_text(text, encoding="utf-8")
            (out / name).chmod(0o755)
        install, start = "./install.sh", "./start-yishi.sh"
    readme = README.format(platform=target, python=python, version=version, install=install, start=start)
    # With a BOM and CRLF: Notepad before Windows 10 1903 reads a file without a BOM in the ANSI code
    # page (mojibake on an English Windows) and one without CRLF as a single line.
    (out / "README.txt").write_text(readme, encoding="utf-8-sig", newline="\r\n" if windows else "\n")


def manifest(out: Path, target: str, python: str, version: str) -> dict[str, object]:
    files = sorted((out / "wheels").glob("*.whl"))
    found = {"platform": target, "python": python, "yishi": version,
             "wheels": [{"file": f.name, "bytes": f.stat().st_size,
                         "sha256": hashlib.sha256(f.read_bytes()).hexdigest()} for f in files]}
    (out / "bundle.json").write_text(json.dumps(found, indent=1) + "\n")
    return found


def main(argv: list[str] | None = None) -> int:
    own_target, own_python = this_machine()
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--platform", choices=sorted(TARGETS), default=own_target,
                   help=f"the system of the computer in the hall (default this one: {own_target})")
    p.add_argument("--python", default=own_python, help=f"its Python version, e.g. 3.11 (default this one: {own_python})")
    p.add_argument("--out", default="", help="the folder to make (default yishi-offline-PLATFORM-pyVERSION)")
    p.add_argument("--wheel", default="", help="Yishi's wheel, built before (default: built from this folder)")
    p.add_argument("--zip", action="store_true", help="also make a .zip of the folder")
    args = p.parse_args(argv)
    out = Path(args.out or f"yishi-offline-{args.platform}-py{args.python}")
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"bundle: {out} is not empty: choose another --out or remove it")
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    if args.wheel:
        wheel = Path(shutil.copy2(args.wheel, wheels))
    else:
        wheel = build_wheel(wheels)
    version = wheel.name.split("-")[1]
    here = (args.platform, args.python) == (own_target, own_python)
    gather(wheel, wheels, args.platform, args.python, here)
    write_scripts(out, args.platform, args.python, version)
    found = manifest(out, args.platform, args.python, version)
    total = sum(int(w["bytes"]) for w in found["wheels"])  # type: ignore[attr-defined]
    print(f"bundle: {out}: Yishi {version} for {args.platform}, Python {args.python}: "
          f"{len(found['wheels'])} wheels, {total / 1e6:.1f} MB")  # type: ignore[arg-type]
    if args.zip:
        archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
        print(f"bundle: {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
