"""Server-side translation through gettext catalogues (Babel reads the .po files; no compile step).

Message ids are the English text; `live/locales/zh_CN/LC_MESSAGES/messages.po` holds the Chinese.
The pages use their own JSON catalogues in static/i18n/.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("zh-CN", "en")
DEFAULT = "zh-CN"


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; translated where it is shown."""
    return message


class _PoTranslations(NullTranslations):
    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    if lang != "zh-CN":
        return NullTranslations()
    with open(LOCALES / "zh_CN" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    return _PoTranslations({m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy})


def pick(lang: str | None, accept: str = "") -> str:
    """The language to answer in: an explicit choice, else the browser's, else Chinese."""
    if lang in LANGUAGES:
        return lang  # type: ignore[return-value]
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh-CN"
    return DEFAULT


def gettext(lang: str, message: str, **params: object) -> str:
    text = translations(lang).gettext(message)
    return text.format(**params) if params else text


class Words:
    """A page's words in one language: `w.title`, `w("percent", n=30)`, from a dict of N_() texts."""

    def __init__(self, texts: dict[str, str], lang: str) -> None:
        self.texts = texts
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        if key in ("texts", "lang") or key not in self.texts:
            raise AttributeError(key)
        return gettext(self.lang, self.texts[key])

    def __call__(self, key: str, **params: object) -> str:
        return gettext(self.lang, self.texts[key], **params)
