from __future__ import annotations


class MeetingError(Exception):
    """A command the meeting's rules refuse.

    `code` names the rule (it keys the translated message in live/); `params` fill it in.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
