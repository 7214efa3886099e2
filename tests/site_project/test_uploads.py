"""Uploads through the admin, as the settings limit them: images limited in size, pixels and type
(no SVG); documents are always downloaded, never rendered by the browser."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def png(width=200, height=100, mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Upload", "file": SimpleUploadedFile(name, content, content_type)},
    )


def form_errors(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("file", []))


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_a_normal_png_is_accepted(signed_in):
    response = upload_image(signed_in, "diagram.png", png())

    assert response.status_code == 302
    assert Image.objects.get().width == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("logo.png", SVG, "image/png"),
        ("page.gif", b"<html><script>alert(1)</script></html>", "image/gif"),
        ("script.js", b"alert(1)", "application/javascript"),
        ("diagram.png.html", png(), "text/html"),
    ],
)
def test_svg_and_disguised_files_are_refused(signed_in, name, content, content_type):
    response = upload_image(signed_in, name, content, content_type)

    assert response.status_code == 200
    assert form_errors(response)
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_image_over_the_size_limit_is_refused(signed_in):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    content = png() + b"\0" * settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE

    response = upload_image(signed_in, "huge.png", content)

    assert "too big" in form_errors(response)
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_image_over_the_pixel_limit_is_refused(signed_in):
    # 8000 x 6000 = 48 million pixels, though the file itself is small.
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 8000 * 6000
    content = png(8000, 6000, mode="1")
    assert len(content) < settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE

    response = upload_image(signed_in, "wide.png", content)

    assert "pixels" in form_errors(response)
    assert not Image.objects.exists()


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Doc", "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.txt", b"<script>alert(1)</script>"), ("paper.pdf", b"%PDF-1.4 <script>")],
)
def test_documents_are_served_as_attachments_with_nosniff(
    signed_in, name, content, settings, tmp_path
):
    # Served from disk as in production (the test settings keep files in memory).
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert upload_document(signed_in, name, content).status_code == 302
    document = Document.objects.get()

    response = signed_in.__class__().get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["page.html", "page.htm", "logo.svg", "run.js", "x.php"])
def test_documents_that_browsers_would_run_are_refused(signed_in, name):
    response = upload_document(signed_in, name, b"<script>alert(1)</script>")

    assert response.status_code == 200
    assert not Document.objects.exists()
