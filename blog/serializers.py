"""How the read-only API shows a post's topic and authors (snippets have no API of their own),
and the fields a page model builds itself for the API."""

from rest_framework import serializers


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    link = serializers.URLField(read_only=True)


class PageMethodField(serializers.Field):
    """`page.<method>(request)`: an API field the page model builds itself, from what it
    keeps per content version (so that a listing of pages makes no query per page)."""

    def __init__(self, method, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)
        self.method = method

    def to_representation(self, page):
        return getattr(page, self.method)(self.context.get("request"))
