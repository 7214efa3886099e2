"""A small site in English with its home page and compilation translated into French."""

from types import SimpleNamespace

import pytest
from wagtail.models import Locale

from markdown_io.compilations import with_stable_ids
from tests import factories
from translations.pages import translate, translate_compilation

FRENCH = {
    "Django at Scale": "Django à grande échelle",
    "Django at Scale in Production": "Django à grande échelle en production",
    "How to read it.": "Comment la lire.",
    "Databases": "Bases de données",
    "Pool your connections before the server runs out of them.": (
        "Mutualisez vos connexions avant que le serveur n'en manque."
    ),
    "Read this first.": "À lire en premier.",
    "The reference.": "La référence.",
}


@pytest.fixture
def bilingual(index):
    home = index.get_parent().specific
    post = factories.make_post(index, title="Connection pooling", slug="connection-pooling")
    # With block ids, as the admin and the seed store them: wagtail-localize keys segments on them.
    compilation = factories.make_compilation(
        home,
        with_stable_ids(
            "bilingual",
            [
                factories.section(
                    "Databases",
                    [factories.post_entry(post), factories.link_entry(1)],
                    anchor="databases",
                    text="Pool your connections before the server runs out of them.",
                )
            ],
        ),
    )
    home.featured_compilation = compilation
    factories.publish(home)
    french_home = translate(home, "fr", FRENCH)
    french_compilation = translate_compilation(compilation, "fr", FRENCH)
    section = compilation.get_children().get().specific
    return SimpleNamespace(
        home=home,
        compilation=compilation,
        section=section,
        french_section=section.get_translation(Locale.objects.get(language_code="fr")).specific,
        post=post,
        french_home=french_home.specific,
        french_compilation=french_compilation.specific,
    )
