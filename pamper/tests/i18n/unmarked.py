"""Find user-facing text that is not marked for translation: in templates (text and the attributes people read)
and in Python (refusals, page messages, form labels and errors, API error messages, email subjects).

Used by test_marked.py; run as a script to list what is left: `python -m pamper.tests.i18n.unmarked`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # pamper/
HOLE = "\x00"  # where a template tag or variable stood
# A placeholder a view fills in after rendering (search/_form.html, the kept site chrome): a hole, not text.
FILLED_IN = re.compile(r"\bPamper(?:Form|Chrome)[A-Z]\w*\b")
WORD = re.compile(r"[^\W\d_]{2,}")
# Text that is the same in every language: the brand, units, codes, sample input.
ALLOWED = {"Pamper", "API", "km", "mi", "min", "OK", "iCal", "JSON", "CSV", "QR", "TOTP", "ICS", "OpenAPI", "PDF",
           "SW1A 1AA", "you@example.com", "Stripe", "Google", "Apple", "Outlook", "Leaflet", "OpenStreetMap",
           "hx", "js", "Visa", "Mastercard", "American Express", "Discover", "Diners Club", "JCB", "UnionPay",
           "Cartes Bancaires"}
# Attributes people read (or hear from a screen reader).
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription",
                   "data-confirm", "label"}
TRANSLATE = re.compile(r"\{%\s*(translate|trans)\s.*?%\}", re.S)
BLOCK = re.compile(r"\{%\s*(blocktranslate|blocktrans)\b.*?%\}.*?\{%\s*(endblocktranslate|endblocktrans)\s*%\}", re.S)
CLASS_BLOCK = re.compile(r"\{%\s*block\s+\w*class\s*%\}.*?\{%\s*endblock", re.S)  # CSS classes, not words
COMMENT = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"\{%.*?%\}", re.S)
VARIABLE = re.compile(r"\{\{.*?\}\}", re.S)


def readable(text: str) -> bool:
    """True when `text` (holes removed) contains words a person reads, other than the allowed ones."""
    text = text.replace(HOLE, " ").strip()
    if not text or text in ALLOWED:
        return False
    words = [w for w in WORD.findall(text) if w not in ALLOWED]
    return bool(words)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (tag == "meta" and name == "content"
                                                      and values.get("name") == "description")
                          or (tag == "input" and name == "value" and values.get("type") in {"submit", "button"})):
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.found.append(data)


def template_texts(source: str, html: bool = True) -> list[str]:
    """The readable text left in a template once translated parts, comments and tags are taken out."""
    source = COMMENT.sub("", source)
    source = CLASS_BLOCK.sub("{% endblock", source)
    source = BLOCK.sub(HOLE, source)
    source = TRANSLATE.sub(HOLE, source)
    source = TAG.sub(" ", source)  # a tag inside an HTML tag must leave the tag parseable
    source = VARIABLE.sub(HOLE, source)
    source = FILLED_IN.sub(HOLE, source)
    if not html:
        return [line for line in source.splitlines() if readable(line)]
    parser = _Text()
    parser.feed(source)
    parser.close()
    return [" ".join(t.split()) for t in parser.found if readable(t)]


def templates() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"} and "/tests/" not in str(path):
            yield path


def unmarked_in_templates() -> dict[str, list[str]]:
    found = {}
    for path in templates():
        texts = template_texts(path.read_text(), html=path.suffix == ".html")
        if texts:
            found[str(path.relative_to(ROOT))] = texts
    return found


# --- Python ------------------------------------------------------------------------------------------------

TRANSLATORS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_lazy",
               "npgettext", "npgettext_lazy", "format_lazy"}
# call name -> index of the positional argument a person reads (keyword names follow).
MESSAGE_CALLS = {"Refusal": 2, "ValidationError": 0, "success": 1, "error": 1, "info": 1, "warning": 1,
                 "add_message": 2, "error_response": 3, "add_error": 1}
MESSAGE_KEYWORDS = {"label", "help_text", "empty_label", "message", "subject"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def literal_text(node: ast.expr) -> str | None:
    """The readable literal in an expression that is not wrapped in a translation call, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if readable(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return text if readable(text) else None
    if isinstance(node, ast.BinOp):  # "..." % x, "a" + b
        return literal_text(node.left) or literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return literal_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) or literal_text(node.orelse)
    return None


def python_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations", "demo", "management"} or path.name in {"settings.py", "admin.py"}:
            continue
        yield path


GETTEXT = {"gettext", "gettext_lazy", "_", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def marked_in_python() -> dict[str, str]:
    """{msgid: 'path:line'} of every text the Python code hands to a translation call (the first argument, the
    singular of ngettext; pgettext's second): what `bin/messages` must have put in the catalogues."""
    found: dict[str, str] = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and _name(node.func) in GETTEXT and node.args):
                continue
            argument = node.args[1 if _name(node.func).startswith("pgettext") and len(node.args) > 1 else 0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value:
                found.setdefault(argument.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def unmarked_in_python() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name == "messages" or (name in {"success", "error", "info", "warning"}
                                      and _name(getattr(node.func, "value", node.func)) != "messages"):
                continue
            args: list[ast.expr] = []
            if name in MESSAGE_CALLS and len(node.args) > MESSAGE_CALLS[name]:
                args.append(node.args[MESSAGE_CALLS[name]])
            args += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
            for arg in args:
                text = literal_text(arg)
                if text:
                    found.setdefault(str(path.relative_to(ROOT)), []).append(f"{node.lineno}: {text}")
    return found


# --- sentences anywhere in Python ------------------------------------------------------------------------------
# A message a person reads is not always passed straight to a message call: it is returned, put in a dict, handed to
# a helper (invalid(...), a render context, messages.success(request, {...}.get(...))). Any literal that reads as a
# sentence (a capital, three or more words, a full stop) is taken for one, wherever it stands, unless it is for
# developers or operators.

SENTENCE = re.compile(r"^[A-Z][\w'’,]*(?: \S+){2,}[.!?]$", re.S)
# Calls whose text is for developers, operators or logs; and exceptions nobody outside sees (a 404 says its own).
NOT_FOR_PEOPLE = {"ValueError", "TypeError", "RuntimeError", "ImproperlyConfigured", "AssertionError", "KeyError",
                  "CommandError", "NotImplementedError", "LookupError", "OSError", "SystemExit", "Http404",
                  "BadCursor", "CursorError", "debug", "exception", "critical", "print", "add_argument",
                  "gettext_noop", "Counter", "Gauge", "Histogram",
                  "left_out"}  # why the person's export leaves a model out (accounts.hooks): for developers
LOGGERS = {"log", "logger", "logging", "LOG"}
# Keyword arguments read by developers (API schema text). A reason Pamper writes itself is a code or a gettext_noop
# constant said when shown (bookings CancelCause, payments LedgerEntry.reason_shown), so `reason="..."` is found.
NOT_FOR_PEOPLE_KEYWORDS = {"description", "title", "summary", "help"}
SENTENCE_EXEMPT = {"ops"}  # operators' tools and checks speak English


def _joined(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)


def _for_people(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """False when the literal sits in a translation call or one of the calls and keywords above."""
    parent = parents.get(node)
    if isinstance(parent, ast.keyword) and parent.arg in NOT_FOR_PEOPLE_KEYWORDS:
        return False
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        if isinstance(parent, ast.Call):
            name = _name(parent.func)
            if name in TRANSLATORS or name in NOT_FOR_PEOPLE:
                return False
            if isinstance(parent.func, ast.Attribute) and _name(parent.func.value) in LOGGERS:
                return False
        parent = parents.get(parent)
    return True


def _docstrings(tree: ast.AST) -> set[ast.expr]:
    """The docstrings in `tree` (of the module, its classes and functions): text for developers."""
    return {n.body[0].value for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def untranslated_sentences(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of every sentence literal in `tree` that a person may read and no translation call wraps."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = _joined(node)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and node not in docstrings
              and not isinstance(parents.get(node), ast.JoinedStr)):
            text = node.value
        else:
            continue
        if SENTENCE.match(text.strip()) and _for_people(node, parents):
            yield node.lineno, text


def sentences_in_python() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SENTENCE_EXEMPT:
            continue
        for line, text in untranslated_sentences(ast.parse(path.read_text())):
            found.setdefault(str(relative), []).append(f"{line}: {text}")
    return found


# --- day and month names from strftime ------------------------------------------------------------------------
# %a, %A, %b and %B write English names whatever the page's language: formats.day and formats.short_when do not.

DATE_NAMES = re.compile(r"(?<!%)%-?[aAbB]\b")


def english_date_names() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and DATE_NAMES.search(node.value):
                found.setdefault(str(path.relative_to(ROOT)), []).append(f"{node.lineno}: {node.value}")
    return found


# --- labels anywhere in Python ----------------------------------------------------------------------------------
# Short text with no full stop ("Time off", "Held: {x}", "Ambience") that a view or a model hands to a page as a
# label: the sentence finder above does not see it. A literal that starts with a capital and is words only is taken
# for a label, except where it cannot be one: compared or looked up, a dict's key, an HTTP header, a schema.org
# type, what __str__ says (the admin's), and the names below.

LABEL = re.compile(r"^[A-Z][a-z]+(?:[ '’-][A-Za-z][a-z]*)*:?$")
HEADER = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$")
NOT_LABELS = {
    "Authorization", "Allow", "Lax",  # HTTP header and cookie words
    "Disallow:", "Sitemap:",  # robots.txt
    "Key",  # a NamedTuple's name
    "Hit", "Term", "Understanding",  # type names in search/understand.py
    "One of",  # OpenAPI description text, for developers
    "Authenticator app", "Recovery codes",  # django-otp device names, never shown
    "Thing",  # a schema.org type
    # The consent text is versioned in English (clinical/documents.py): a signature points at the words signed.
    "Consent to", "What the evidence says:", "Side effects I have been told about:", "Aftercare I agree to follow:",
}


def untranslated_labels(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of every label literal in `tree` that a person may read and no translation call wraps."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    quiet: set[ast.AST] = set(_docstrings(tree))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__str__":
            quiet.update(ast.walk(node))
        if isinstance(node, ast.Dict):
            quiet.update(node.keys)  # type: ignore[arg-type]
            quiet.update(v for k, v in zip(node.keys, node.values, strict=True)
                         if isinstance(k, ast.Constant) and k.value == "@type")
        if isinstance(node, ast.Compare | ast.Subscript):
            quiet.update(ast.walk(node))
        if isinstance(node, ast.Call) and _name(node.func) in {"ForeignKey", "ManyToManyField", "OneToOneField"}:
            quiet.update(node.args[:1])  # the model it points at
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node in quiet:
            continue
        text = node.value.strip()
        if (LABEL.match(text) and not HEADER.match(text) and text not in NOT_LABELS and text not in ALLOWED
                and _for_people(node, parents)):
            yield node.lineno, text


def labels_in_python() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SENTENCE_EXEMPT or relative.name == "apps.py":
            continue
        for line, text in untranslated_labels(ast.parse(path.read_text())):
            found.setdefault(str(relative), []).append(f"{line}: {text}")
    return found


# --- translations kept in a cache ---------------------------------------------------------------------------------
# A function cached for the process (functools.cache, lru_cache) that translates, or reads the active language,
# keeps the words of whichever language was active at its first call for every later caller.

CACHES = {"cache", "lru_cache", "cached"}
LANGUAGE_READERS = {"gettext", "_", "ngettext", "pgettext", "npgettext", "get_language", "active_language"}


def translations_in_caches() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            cached = any(_name(d.func if isinstance(d, ast.Call) else d) in CACHES for d in node.decorator_list)
            params = {a.arg for a in node.args.args}
            if not cached or "language" in params:  # keyed by the language: one entry per language is right
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _name(inner.func) in LANGUAGE_READERS:
                    found.setdefault(str(path.relative_to(ROOT)), []).append(f"{inner.lineno}: {node.name}")
    return found


# --- words in the site's own scripts ------------------------------------------------------------------------------
# A script's words come from base.html's {% script_texts %} block (site.js: pamperText(key)): a sentence written in
# a script is English on every page.

SCRIPT_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
SCRIPT_WORDS = re.compile(r"^\(?[A-Z][a-z'’]*(?: [^\s<>]+)+$")


def scripts() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("static/**/*.js")):
        if "vendor" not in path.parts and not path.name.endswith(".min.js"):
            yield path


def script_texts(source: str) -> list[str]:
    """The string literals in a script that read as words to a person (comments left out)."""
    found = []
    for line in source.splitlines():
        code = line.strip()
        if code.startswith(("//", "/*", "*")):
            continue
        for double, single in SCRIPT_STRING.findall(code):
            text = double or single
            if SCRIPT_WORDS.match(text) and readable(text):
                found.append(text)
    return found


def unmarked_in_scripts() -> dict[str, list[str]]:
    found = {}
    for path in scripts():
        texts = script_texts(path.read_text())
        if texts:
            found[str(path.relative_to(ROOT))] = texts
    return found


if __name__ == "__main__":
    for where, texts in {**unmarked_in_templates(), **unmarked_in_python(), **sentences_in_python(),
                         **unmarked_in_scripts(), **english_date_names()}.items():
        print(f"{where}: {len(texts)}")
        for text in texts:
            print(f"    {text[:110]}")
