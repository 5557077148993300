"""Every server-side string has its Chinese; the catalogue matches the code."""
from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

from live.errors import FIELDS, MESSAGES, message

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "live/locales/zh_CN/LC_MESSAGES/messages.po"


def catalogue() -> dict[str, str]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_every_marked_string_in_the_code_has_a_chinese_translation():
    loader = importlib.machinery.SourceFileLoader("update_catalogue", str(ROOT / "scripts/update-catalogue"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    in_code = set(module.extracted())
    translated = {k for k, v in catalogue().items() if v}
    assert in_code - translated == set(), "run scripts/update-catalogue and translate these"


def test_every_rule_error_code_has_a_message():
    import ast

    codes = set()
    for pkg in ("facilitation", "voting"):
        for path in (ROOT / pkg).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("MeetingError", "VotingError"):
                    codes.add(node.args[0].value)  # type: ignore[attr-defined]
    assert codes and codes - set(MESSAGES) == set()


def test_messages_fill_in_their_parameters_in_both_languages():
    assert message("too_many_options", "zh-CN", {"max": 12}) == "表决最多 12 个选项。"
    assert message("too_many_options", "en", {"max": 12}) == "A poll can have at most 12 options."
    assert message("empty_text", "zh-CN", {"field": "reason"}) == "请填写：理由。"
    assert set(FIELDS) >= {"name", "reason", "opinion", "summary", "explanation"}
