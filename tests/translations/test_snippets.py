"""Topics and authors in several languages: translated in wagtail-localize's editor like pages,
shown to readers in their language where a translation exists, else in English."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from blog.models import Topic, TopicPostPage
from tests import factories
from translations.pages import translate

FRENCH_TOPIC = {
    "Databases and the ORM": "Bases de données et ORM",
    "Queries, indexes and migrations.": "Requêtes, index et migrations.",
}
FRENCH_AUTHOR = {"Ada Editor": "Ada Éditrice", "Writes about databases.": "Écrit sur les bases."}


@pytest.fixture
def topic(db):
    return factories.make_topic(
        name="Databases and the ORM",
        slug="database",
        description="Queries, indexes and migrations.",
    )


@pytest.fixture
def author(db):
    return factories.make_author(name="Ada Editor", slug="ada", bio="Writes about databases.")


@pytest.fixture
def french_topic(topic):
    return translate(topic, "fr", FRENCH_TOPIC)


@pytest.fixture
def french_author(author):
    return translate(author, "fr", FRENCH_AUTHOR)


@pytest.fixture
def french_post(bilingual, topic, author, french_topic, french_author):
    """A post on `topic` by `author`, translated into French (its listing too)."""
    post = factories.make_post(
        bilingual.post.get_parent(), title="Indexes", slug="indexes", topic=topic, authors=[author]
    )
    translate(post.get_parent().specific, "fr", {})
    return translate(post, "fr", {"Indexes": "Les index"}).specific


@pytest.mark.django_db
def test_topic_translation_keeps_its_slug_and_key(topic, french_topic):
    assert french_topic.locale.language_code == "fr"
    assert french_topic.translation_key == topic.translation_key
    assert french_topic.slug == "database"
    assert french_topic.name == "Bases de données et ORM"
    assert Topic.objects.get(pk=topic.pk).name == "Databases and the ORM"


@pytest.mark.django_db
def test_names_and_slugs_are_unique_per_language(topic, french_topic):
    with pytest.raises(IntegrityError):
        Topic.objects.create(name="Other", slug="database", locale=topic.locale)


@pytest.mark.django_db
def test_a_name_is_unique_within_its_language(topic):
    with pytest.raises(IntegrityError):
        Topic.objects.create(name="Databases and the ORM", slug="other", locale=topic.locale)


@pytest.mark.django_db
def test_editor_translates_a_topic_in_the_translation_editor(client, editor, topic):
    client.force_login(editor)
    french = Locale.objects.get(language_code="fr")
    submit = reverse(
        "wagtail_localize:submit_snippet_translation", args=["blog", "topic", topic.pk]
    )

    response = client.post(submit, {"locales": [french.pk]})

    assert response.status_code == 302
    translation = Translation.objects.get(
        source__object_id=topic.translation_key, target_locale=french
    )
    segment = StringSegment.objects.get(source=translation.source, string__data=topic.name)
    edit = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(
        edit, "value=Bases+de+donn%C3%A9es", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 201
    # What the editor's Save does for a snippet without drafts.
    translation.save_target(user=editor)
    assert Topic.objects.get(locale=french, translation_key=topic.translation_key).name == (
        "Bases de données"
    )


@pytest.mark.django_db
def test_a_translated_post_keeps_the_english_topic_and_authors(
    topic, author, french_post, french_topic
):
    assert french_post.topic_id == topic.pk
    assert list(french_post.authors.all()) == [author]


@pytest.mark.django_db
def test_french_post_shows_the_french_topic_and_author(client, french_post):
    html = client.get(french_post.url).content.decode()
    assert french_post.url.startswith("/fr/")
    assert "Bases de données et ORM" in html
    assert "Ada Éditrice" in html
    assert 'href="/fr/topics/database/"' in html


@pytest.mark.django_db
def test_english_post_keeps_the_english_topic_and_author(client, french_post):
    english = TopicPostPage.objects.get(slug="indexes", locale__language_code="en")
    html = client.get(english.url).content.decode()
    assert "Databases and the ORM" in html
    assert "Ada Editor" in html
    assert "Bases de données" not in html


@pytest.mark.django_db
def test_french_topic_page_shows_the_french_words(client, french_post):
    response = client.get("/fr/topics/database/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Bases de données et ORM</h1>" in html or "Bases de données et ORM</h1>" in html
    assert "Requêtes, index et migrations." in html
    # The French post, not its English source.
    assert french_post.url in html
    assert 'href="/posts/indexes/"' not in html


@pytest.mark.django_db
def test_english_topic_page_is_unchanged(client, french_post):
    html = client.get("/topics/database/").content.decode()
    assert "Databases and the ORM" in html
    assert "Queries, indexes and migrations." in html
    assert 'href="/posts/indexes/"' in html
    assert french_post.url not in html


@pytest.mark.django_db
def test_untranslated_words_show_in_english_not_blank(client, bilingual, topic):
    translate(topic, "fr", {"Databases and the ORM": "Bases de données et ORM"})
    Topic.objects.filter(locale__language_code="fr").update(description="")
    html = client.get("/fr/topics/database/").content.decode()
    assert "Bases de données et ORM" in html
    assert "Queries, indexes and migrations." in html


@pytest.mark.django_db
def test_a_topic_without_translation_shows_in_english(client, bilingual, topic):
    html = client.get("/fr/topics/database/").content.decode()
    assert "Databases and the ORM" in html


@pytest.mark.django_db
def test_french_cards_and_filters_show_the_french_topic(client, french_post):
    listing = client.get("/fr/posts/").content.decode()
    assert listing.count("Bases de données et ORM") >= 2  # the filter chip and the card
    assert "Databases and the ORM" not in listing
    home = client.get("/fr/").content.decode()
    assert "Bases de données et ORM" in home


@pytest.mark.django_db
def test_french_search_filters_show_the_french_topic(client, french_post):
    html = client.get("/fr/search/", {"q": "index"}).content.decode()
    assert "Bases de données et ORM" in html
    assert "Databases and the ORM" not in html


@pytest.mark.django_db
def test_the_post_form_offers_english_topics_and_authors_only(editor, french_post):
    form_class = TopicPostPage.get_edit_handler().get_form_class()
    form = form_class(instance=french_post, for_user=editor)
    topics = form.fields["topic"].queryset
    authors = form.fields["authors"].queryset
    assert Topic.objects.filter(locale__language_code="fr").exists()
    assert {topic.locale.language_code for topic in topics} == {"en"}
    assert {author.locale.language_code for author in authors} == {"en"}


@pytest.mark.django_db
def test_french_home_lists_each_post_once_in_french(client, french_post):
    html = client.get("/fr/").content.decode()
    assert f'href="{french_post.url}"' in html
    assert 'href="/posts/indexes/"' not in html
    assert 'href="/posts/connection-pooling/"' in html
