# Sourced by scripts/run and scripts/test: a virtual environment in .venv with Yishi installed.
# On a fresh Debian machine the system Python refuses `pip install` outside a venv (PEP 668),
# and may lack the venv module: as root, install it from Debian first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "Python's venv module is missing: install it (Debian: sudo apt-get install python3-venv)" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${YISHI_EXTRAS:-}"
