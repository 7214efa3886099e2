"""The PostgreSQL search backend, with one change to the SQL that modelsearch writes.

modelsearch filters with `.annotate(_vector_=title || body).filter(_vector_=query)`, so the
concatenated vector is also *selected*: PostgreSQL builds it for every matching row before the
sort and the LIMIT (for a word in half of 10,000 posts, two thirds of the query's time). Here
the expression stays in the WHERE clause, where the GIN index in migration search/0003 answers
it, and leaves the SELECT list, exactly as `.alias()` would have written it. Results and their
order are unchanged (tests/search/test_backends.py compares them with the stock backend).
"""

from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

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
    def search(self, *args, **kwargs):
        return _unselect_vector(super().search(*args, **kwargs))


class AutocompleteQueryCompiler(PostgresAutocompleteQueryCompiler):
    def search(self, *args, **kwargs):
        return _unselect_vector(super().search(*args, **kwargs))


class SearchBackend(PostgresSearchBackend):
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
