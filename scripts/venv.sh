# Sourced by scripts/run and scripts/test: a virtual environment in .venv with Yishi installed.
# On a fresh Debian machine the system Python refuses `pip install` outside a venv (PEP 668),
# and may lack the venv module: as root, install it from Debian first.
# YISHI_EXTRAS="[test]" (or "[test,postgres]") asks for extras too.
#
# The install is editable, so edits to the code need no reinstall: pip runs only when .venv is
# new, when pyproject.toml changed since the last install, or when extras not installed yet
# are asked for. .venv/yishi-installed records what was installed (the hash of pyproject.toml,
# then one extra a line). YISHI_REINSTALL=1 forces the install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

_yishi_stamp=.venv/yishi-installed
_yishi_hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
_yishi_extras=$(printf '%s' "${YISHI_EXTRAS:-}" | tr -d '[] ' | tr ',' '\n' | sed '/^$/d' | sort -u)

_yishi_installed() {  # true when .venv has Yishi installed from this pyproject.toml with these extras
  [ "${YISHI_REINSTALL:-}" != 1 ] && [ -x .venv/bin/python ] && [ -x .venv/bin/yishi ] && [ -f "$_yishi_stamp" ] || return 1
  [ "$(head -n 1 "$_yishi_stamp")" = "$_yishi_hash" ] || return 1
  local missing
  missing=$(comm -23 <(printf '%s\n' "$_yishi_extras" | sed '/^$/d') <(tail -n +2 "$_yishi_stamp" | sort -u))
  [ -z "$missing" ]
}

if ! _yishi_installed; then
  if [ ! -x .venv/bin/python ] && ! python3 -c "import venv, ensurepip" 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
      echo "Python's venv module is missing: install it (Debian: sudo apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # Extras installed before from the same pyproject.toml are still there: keep them on record.
  _yishi_keep=""
  if [ -f "$_yishi_stamp" ] && [ "$(head -n 1 "$_yishi_stamp")" = "$_yishi_hash" ]; then
    _yishi_keep=$(tail -n +2 "$_yishi_stamp")
  fi
  rm -f "$_yishi_stamp"
  echo "Installing Yishi into .venv (pyproject.toml changed or first run)..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  # setuptools' note that an editable install is one (InformationOnly) is not a problem: hide it.
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${YISHI_EXTRAS:-}"
  { echo "$_yishi_hash"; printf '%s\n%s\n' "$_yishi_keep" "$_yishi_extras" | sed '/^$/d' | sort -u; } > "$_yishi_stamp"
fi
unset -f _yishi_installed
unset _yishi_stamp _yishi_hash _yishi_extras _yishi_keep
