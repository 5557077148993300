"""`yishi bench`: how many phones one laptop holds."""
from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds the `bench` command to the `yishi` command line."""
