from __future__ import annotations


class VotingError(Exception):
    """A ballot or poll action the voting rules refuse; `code` keys the translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
