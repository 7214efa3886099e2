"""The interface in French: dates on every page a French reader sees, the site's scripts' words
(Django's JavaScript catalog), and the compiled catalogs kept in step with their .po files."""

import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from translations.pages import translate

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
ENGLISH_MONTHS = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{4}"
)
FRENCH_MONTH = re.compile(
    r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre) \d{4}"
)


def unquote(part):
    return "".join(line[1:-1].replace('\\"', '"') for line in part.strip().split("\n"))


def entries(po_file):
    """(context, msgid, msgstr) of each singular entry of a .po file; context is None when the
    entry has no msgctxt."""
    found = []
    for block in po_file.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        context = re.search(r'^msgctxt ((?:".*"\n)+)msgid ', block, re.M)
        if match and "msgid_plural" not in block and unquote(match.group(1)):
            found.append(
                (
                    context and unquote(context.group(1)),
                    unquote(match.group(1)),
                    unquote(match.group(2)),
                )
            )
    return found


@pytest.fixture
def french_post(bilingual):
    index = bilingual.post.get_parent().specific
    translate(index, "fr", {})
    return translate(factories.make_post(index, title="Indexes", slug="indexes"), "fr", {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/fr/django-at-scale-in-production/",
        "/fr/django-at-scale-in-production/changes/",
        "/fr/posts/",
        "/fr/posts/indexes/",
        "/fr/search/?q=post",
    ],
)
def test_dates_on_french_pages_are_in_french(client, french_post, url):
    html = client.get(url).content.decode()
    main = html.split("<main", 1)[1]
    assert FRENCH_MONTH.search(main), url
    assert not ENGLISH_MONTHS.search(main), url


@pytest.mark.django_db
def test_topic_archive_dates_are_in_french(client, french_post):
    html = client.get(f"/fr/topics/{french_post.topic.slug}/").content.decode()
    assert FRENCH_MONTH.search(html) and not ENGLISH_MONTHS.search(html)


@pytest.mark.django_db
def test_english_pages_keep_english_dates_and_load_no_catalog(client, french_post):
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert ENGLISH_MONTHS.search(html)
    assert "jsi18n" not in html


@pytest.mark.django_db
def test_french_pages_load_the_french_script_words_first(client, bilingual):
    html = client.get("/fr/django-at-scale-in-production/").content.decode()
    catalog = html.index('<script src="/fr/jsi18n/" defer></script>')
    assert catalog < html.index("js/anchors")
    assert catalog < html.index("js/progress")


@pytest.mark.django_db
def test_the_script_catalog_has_every_french_word(client):
    response = client.get("/fr/jsi18n/")
    js = response.content.decode("utf-8")
    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    # The catalog is JSON, non-ASCII letters escaped.
    for _context, _msgid, msgstr in entries(LOCALE / "djangojs.po"):
        assert json.dumps(msgstr) in js, msgstr
    assert json.dumps("%(count)s publications depuis votre dernière visite.") in js


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_po_file_is_compiled_into_its_mo(domain):
    compiled = gettext.translation(domain, localedir=LOCALE.parent.parent, languages=["fr"])
    wanted = entries(LOCALE / f"{domain}.po")
    assert len(wanted) > 10
    for context, msgid, msgstr in wanted:
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == msgstr, msgid


@pytest.mark.django_db
def test_reading_pages_speak_french_and_english_pages_keep_their_words(client, french_post):
    compilation = client.get("/fr/django-at-scale-in-production/").content.decode()
    search = client.get("/fr/search/?q=post").content.decode()
    missing = client.get("/fr/no-such-page/")
    english_compilation = client.get("/django-at-scale-in-production/").content.decode()
    english_search = client.get("/search/?q=post").content.decode()

    assert "Proposer une entrée pour « " in compilation and "Suggest an entry" not in compilation
    assert "Tri :" in search and "Sort:" not in search
    assert "Tous les thèmes" in search
    assert missing.status_code == 404 and "Page introuvable" in missing.content.decode()
    assert "Suggest an entry for “" in english_compilation
    assert "Sort:" in english_search and "Tri :" not in english_search


@pytest.mark.django_db
def test_the_french_changes_log_tells_its_changes_in_french(client, bilingual):
    html = client.get(f"{bilingual.french_compilation.url}changes/").content.decode()
    english = client.get(f"{bilingual.compilation.url}changes/").content.decode()

    assert "Nouvelle section" in html and "New section" not in html
    assert "New section" in english
