"""How the read-only API shows a post's topic and authors (snippets have no API of their own)."""

from rest_framework import serializers


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    link = serializers.URLField(read_only=True)
