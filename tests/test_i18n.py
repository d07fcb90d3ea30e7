"""Every user-visible string is translated into Chinese, and the compiled catalog is current."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "surveyapp" / "translations" / "zh" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("surveyapp/**.py", "python"), ("templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def _catalog(name: str):
    with open(CATALOG / name, "rb") as handle:
        return read_po(handle) if name.endswith(".po") else read_mo(handle)


def test_every_source_string_has_a_chinese_translation():
    catalog = _catalog("messages.po")
    messages = _source_messages()
    assert len(messages) > 50
    missing = sorted(
        m
        for m in messages
        if not catalog.get(m) or not catalog.get(m).string or catalog.get(m).fuzzy
    )
    assert missing == [], f"add these to {CATALOG / 'messages.po'}: {missing}"


def test_the_compiled_catalog_matches_the_source_catalog():
    po = {m.id: m.string for m in _catalog("messages.po") if m.id and not m.fuzzy}
    mo = {m.id: m.string for m in _catalog("messages.mo") if m.id}
    assert mo == po, "run `make translations` to recompile messages.mo"
