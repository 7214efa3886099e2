"""Translations of pages and snippets through wagtail-localize, as its translation editor makes
them.

`translate` is what the seed (markdown_io's load_compilation) uses: it syncs the page into
wagtail-localize's translation source, enters the given strings as a translator would in the
editor, and publishes the translation. Strings it is not given keep the source text (the
editor's fallback), so a page is never shown with blanks.
"""

from wagtail.models import DraftStateMixin, Locale
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue


def as_segment(text):
    """The form wagtail-localize stores a plain-text field or block in."""
    return StringValue.from_plaintext(text).data


def translate(page, language_code, strings, user=None):
    """`page` (or a snippet) translated into `language_code` with `strings` ({source text:
    translation}, plain text), published; returns the translation, linked to `page` by
    translation_key.

    Run again, it changes nothing unless `page` or `strings` changed.
    """
    locale = Locale.objects.get(language_code=language_code)
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    wanted = {as_segment(original): as_segment(text) for original, text in strings.items()}
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = wanted.get(segment.string.data)
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
    if not isinstance(page, DraftStateMixin):
        # A snippet without drafts (a topic, an author) is saved as it is.
        translation.save_target(user=user)
        return page.get_translation(locale)
    # Saved as a draft, then published here: wagtail-localize would publish once the
    # surrounding transaction commits, and the seed runs in one transaction that needs the
    # translation live before it ends.
    translation.save_target(user=user, publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish(user=user)
    translated.refresh_from_db()
    return translated


def translate_compilation(compilation, language_code, strings, user=None):
    """The compilation translated with `translate`, then each of its section pages (made
    translations of the English ones, below the translated compilation, whose body is
    assembled from them as each is published); returns the translated compilation."""
    translated = translate(compilation, language_code, strings, user=user)
    for section in compilation.specific.section_pages():
        translate(section, language_code, strings, user=user)
    translated.refresh_from_db()
    return translated
