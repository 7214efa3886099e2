"""The PostgreSQL search backend, with one change to the SQL that modelsearch writes.

modelsearch filters with `.annotate(_vector_=title || body).filter(_vector_=query)`, so the
concatenated vector is also *selected*: PostgreSQL builds it for every matching row before the
sort and the LIMIT (for a word in half of 10,000 posts, two thirds of the query's time). Here
the expression stays in the WHERE clause, where the GIN index in migration search/0003 answers
it, and leaves the SELECT list, exactly as `.alias()` would have written it. Results and their
order are unchanged (tests/search/test_backends.py compares them with the stock backend).

And one change to what it indexes: each object's words are stemmed in its own language. The
backend keeps one row per object in one table (modelsearch_indexentry, unique on content type
and object; it takes no INDEX_PREFIX, so a second backend with another SEARCH_CONFIG would
overwrite the first's rows), and its SEARCH_CONFIG applies to every row. Here a page or snippet
in a language that LANGUAGE_CONFIGS names (`{"fr": "french"}`) is indexed with that
configuration, everything else with SEARCH_CONFIG; a search made in such a language (the URL's)
matches the query's stems in either configuration, so a French query finds French pages by
their French stems ("journal" finds "journaux") and the English posts that stay untranslated by
their English ones. A search in the default language is exactly as before.
"""

import copy
from collections import defaultdict

from django.conf import settings
from django.utils import translation
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from wagtail.models import Locale, TranslatableMixin

VECTOR_ALIAS = "_vector_"


def _unselect_vector(queryset):
    query = queryset.query
    if VECTOR_ALIAS not in query.annotation_select:
        return queryset
    queryset = queryset._chain()
    queryset.query.set_annotation_mask(
        name for name in queryset.query.annotation_select if name != VECTOR_ALIAS
    )
    return queryset


class SearchQueryCompiler(PostgresSearchQueryCompiler):
    def get_config(self, backend):
        """The reader's language's configuration when it has one of its own."""
        self.default_config = backend.config
        language = translation.get_language() or settings.LANGUAGE_CODE
        return backend.language_configs.get(language, backend.config)

    def build_tsquery(self, query, config=None):
        default = getattr(self, "default_config", None)
        built = super().build_tsquery(query, config=config)
        if built is None or config is None or default is None or config == default:
            return built
        return built | super().build_tsquery(query, config=default)

    def search(self, *args, **kwargs):
        return _unselect_vector(super().search(*args, **kwargs))


class AutocompleteQueryCompiler(PostgresAutocompleteQueryCompiler):
    def search(self, *args, **kwargs):
        return _unselect_vector(super().search(*args, **kwargs))


class Index(PostgresIndex):
    def add_items(self, model, objs):
        """Each object's words stemmed in its language's configuration."""
        if not self.backend.language_configs or not issubclass(model, TranslatableMixin):
            return super().add_items(model, objs)
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        groups = defaultdict(list)
        for obj in objs:
            code = codes.get(obj.locale_id)
            groups[self.backend.language_configs.get(code, self.backend.config)].append(obj)
        backend = self.backend
        for config, group in groups.items():
            # The stock indexer reads the configuration from the backend it is given.
            self.backend = copy.copy(backend)
            self.backend.config = config
            try:
                super().add_items(model, group)
            finally:
                self.backend = backend


class SearchBackend(PostgresSearchBackend):
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    index_class = Index

    def __init__(self, params):
        super().__init__(params)
        # {language code: PostgreSQL text search configuration} for the other languages.
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS") or {})
