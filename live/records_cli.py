"""The command-line tools that work on a data folder: minutes, meetings, verify."""
from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds the record commands to the `yishi` command line."""
