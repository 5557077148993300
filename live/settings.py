"""Where the data lives, where the server listens, and the facilitator's token."""
from __future__ import annotations

import hmac
import os
import secrets
import socket
import stat
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    data: Path
    host: str = "0.0.0.0"
    port: int = 8000
    database_url: str = ""
    public_url: str = ""  # the address phones use; found from the network if empty
    token: str = ""
    redis_url: str = ""
    fanout: str = ""  # how broadcasts go out: "direct" (default) or "stock" (python-socketio's own; live/fanout.py)

    def __post_init__(self) -> None:
        self.data = Path(self.data)
        private_folder(self.data)
        tighten_data_folder(self.data)
        self.database_url = self.database_url or os.environ.get("YISHI_DATABASE_URL", "") or f"sqlite:///{self.data / 'yishi.db'}"
        self.redis_url = self.redis_url or os.environ.get("YISHI_REDIS_URL", "")
        self.fanout = (self.fanout or os.environ.get("YISHI_FANOUT", "") or "direct").strip().lower()
        if self.fanout not in ("direct", "stock"):
            raise ValueError(f"YISHI_FANOUT / --fanout 只能是 direct 或 stock / must be 'direct' or 'stock', not {self.fanout!r}")
        self.token = self.token or os.environ.get("YISHI_TOKEN", "") or facilitator_token(self.data)
        if not self.public_url:
            host = lan_address() if self.host in ("0.0.0.0", "::", "") else self.host
            self.public_url = f"http://{host}:{self.port}"
        self.public_url = self.public_url.rstrip("/")


def private_folder(data: Path) -> None:
    """The data folder, made readable by its owner only when Yishi creates it (it holds the
    register's phones and birth years, the keys and the record)."""
    if not data.exists():
        data.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            data.chmod(0o700)


# What only a data folder of Yishi's holds: a folder with one of these (made by an older version,
# before folders were made private) or an empty one (made for Yishi) is Yishi's to make private.
OWN_FILES = ("yishi.db", "facilitator-token")


def tighten_data_folder(data: Path) -> None:
    """A data folder that others can read or enter made its owner's only (0700), saying so, when
    it is Yishi's: empty, or holding Yishi's database or token (an older version made its folders
    readable by everyone). Any other folder (`--data .`, a home folder, a shared folder holding
    other things) is left as its owner set it: the files Yishi keeps in it are its owner's only
    (0600) whatever the folder's permissions."""
    if os.name != "posix" or not data.is_dir():
        return
    try:
        mode = stat.S_IMODE(data.stat().st_mode)
        if not mode & 0o077 or not (any((data / name).exists() for name in OWN_FILES) or not any(data.iterdir())):
            return
        data.chmod(mode & 0o700)
    except OSError:  # not the owner: the owner decides
        return
    print(f"yishi: 数据文件夹 {data} 已改为仅本人可读写 (0700) / the data folder {data} is now its owner's only "
          f"(0700; it was {mode:04o})", file=sys.stderr, flush=True)


def private_file(path: Path) -> None:
    """A file of the data folder readable and writable by its owner only (POSIX; elsewhere the
    folder's own permissions apply)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)


def facilitator_token(data: Path) -> str:
    """Kept in the data folder, so links printed yesterday still work after a restart."""
    path = data / "facilitator-token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def lan_address() -> str:
    """An address of this machine that phones on the same network can reach (no traffic is sent)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for *_, addr in infos:
        ip = str(addr[0])
        if not ip.startswith("127."):
            return ip
    return "127.0.0.1"


def same_secret(expected: str | None, given: object) -> bool:
    """`given` is this secret (a key or token), compared in constant time; any text may be given."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
