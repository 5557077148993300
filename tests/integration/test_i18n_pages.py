"""The pages' catalogues: both languages say everything the pages show, in the glossary's words."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from facilitation.forms import WORDINGS
from facilitation.meeting import FORMS, OUTCOMES, REQUEST_KINDS, ROLES, STANCES
from voting.majority import RULES
from voting.polls import FIXED_OPTIONS, KINDS

STATIC = Path(__file__).resolve().parents[2] / "static"
LANGS = ("zh-CN", "en")
T_CALL = re.compile(r"""\bt\(\s*["']([\w.\-]+)["']""")
DATA_I18N = re.compile(r"""data-i18n(?:-[a-z]+)?=["']([\w.\-]+)["']""")
PARAM = re.compile(r"\{(\w+)\}")

# Keys the scripts build from the protocol's words, e.g. t(`stance.${stance}`).
BUILT = [
    *(f"stance.{s}" for s in STANCES), *(f"form.{f}" for f in FORMS), *(f"outcome.{o}" for o in OUTCOMES),
    *(f"kind.{k}" for k in REQUEST_KINDS), *(f"role.{r}" for r in ROLES), *(f"poll.kind.{k}" for k in KINDS),
    *(f"option.{o}" for options in FIXED_OPTIONS.values() for o in options),
    *(f"conn.{c}" for c in ("connecting", "connected", "reconnecting", "refused")),
    *(f"minutes.{ext}" for ext in ("html", "md", "json", "pdf", "docx")),
    "links.moderator", "links.recorder", "links.projector", "links.join",
    *(f"desk.status_{s}" for s in ("held", "refused", "withdrawn", "merged")),
    *(f"rule.{r}" for r in RULES), "rule.none",
    *(f"binding.check.{c}" for c in ("quorum", "approval", "participation_owners", "participation_area",
                                     "approval_owners", "approval_area")),
]

# The glossary's words, as residents and community workers already use them.
GLOSSARY = ["主持人", "记录人", "签到", "申请发言", "撤回", "赞成", "反对", "弃权", "提问", "程序动议", "书面意见", "异议",
            "解释说明", "表决", "举手表决", "协商一致", "部分一致", "未达成一致（提交居民会议决定）", "暂缓", "会议纪要",
            "法定人数", "超时", "满意", "基本满意", "不满意", "列席/旁听", "参会人", "议事会", "听证会", "业主协商",
            "民主评议", "恳谈会", "协商意见"]


def catalogue(lang: str) -> dict[str, str]:
    return json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def used_keys() -> dict[str, set[str]]:
    """Each key the scripts and page templates use, with the files that use it."""
    used: dict[str, set[str]] = {}
    for path in [*STATIC.glob("js/*.js"), *STATIC.glob("pages/*.html")]:
        patterns = [T_CALL] if path.suffix == ".js" else [DATA_I18N, T_CALL]  # the templates call t() too
        for pattern in patterns:
            for key in pattern.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, set()).add(path.name)
    return used


def test_both_catalogues_have_the_same_keys() -> None:
    zh, en = catalogue("zh-CN"), catalogue("en")
    assert sorted(set(zh) - set(en)) == [] and sorted(set(en) - set(zh)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_is_empty(lang: str) -> None:
    assert [k for k, v in catalogue(lang).items() if not isinstance(v, str) or not v.strip()] == []


def test_both_languages_fill_in_the_same_placeholders() -> None:
    zh, en = catalogue("zh-CN"), catalogue("en")
    assert {k: (PARAM.findall(zh[k]), PARAM.findall(en[k])) for k in zh
            if sorted(PARAM.findall(zh[k])) != sorted(PARAM.findall(en[k]))} == {}


def test_the_pages_find_the_keys_they_use() -> None:
    used = used_keys()
    assert len(used) > 100  # the extraction still works
    for lang in LANGS:
        known = catalogue(lang)
        assert {k: sorted(files) for k, files in used.items() if k not in known} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_keys_built_from_the_protocols_words_exist(lang: str) -> None:
    known = catalogue(lang)
    assert [k for k in BUILT if k not in known] == []


def test_the_chinese_interface_speaks_the_glossarys_words() -> None:
    text = "\n".join(catalogue("zh-CN").values())
    assert [word for word in GLOSSARY if word not in text] == []


def test_every_message_is_used_somewhere() -> None:
    used = set(used_keys()) | set(BUILT)
    used |= {f"{k}@{w}" for k in used for w in WORDINGS}  # a village's own words (static/js/client.js t())
    assert sorted(set(catalogue("zh-CN")) - used) == []


# The keys the phone's scripts build from the protocol's words (t(`stance.${…}`) and the like).
PHONE_BUILT = ("stance.", "form.", "outcome.", "role.", "option.", "conn.", "rule.", "binding.check.", "office.status_")


@pytest.mark.parametrize("lang", LANGS)
def test_the_phones_page_carries_every_word_its_files_say(lang: str) -> None:
    """The join page carries a smaller catalogue (live/assets.py): nothing its template, its script or
    the modules it imports say may be missing from it, nor any word they build."""
    from live.app import assets

    carried = assets().catalogue_for("join.html", lang)
    # and the parts it fetches later (a hearing's card, what became of the decisions): their words come with it
    lazy = ["js/phone-hearing.js", "js/phone-progress.js"]
    assert all(f'import("./{m[3:]}")' in (STATIC / "js" / "phone.js").read_text("utf-8") for m in lazy)
    files = [STATIC / "pages" / "join.html", STATIC / "pages" / "base.html", STATIC / "js" / "phone.js",
             *(STATIC / m for m in assets().modules("js/phone.js")),
             *(STATIC / m for lazy_one in lazy for m in (lazy_one, *assets().modules(lazy_one)))]
    said = {key for path in files for pattern in (T_CALL, DATA_I18N) for key in pattern.findall(path.read_text("utf-8"))}
    assert len(said) > 50 and sorted(said - set(carried)) == []
    built = [k for k in catalogue(lang) if k.startswith(PHONE_BUILT)]
    assert built and [k for k in built if k not in carried] == []
    assert len(carried) < len(catalogue(lang))  # the staff's words stay with the staff's pages
