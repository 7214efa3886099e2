"""An editor uploads an image with a description, puts it in a post and finds the alt text
filled from the description; readers see the figure on the text column's edges."""

import io

from PIL import Image as PillowImage
from playwright.sync_api import expect

from tests.e2e.test_editor_journey import add_block, log_in, page_id, publish

DESCRIPTION = "A container ship leaving a harbour at dusk"
SLUG = "a-post-with-a-figure"


def png_bytes():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (900, 500), (40, 90, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def test_alt_text_comes_from_the_description_and_the_figure_lines_up(page, console_errors):
    # The journeys' server keeps uploads in memory and does not serve /media/: image files
    # answer 404 there, and only there.
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    log_in(page)
    page.goto("/admin/images/add/")
    page.fill("#id_title", "Harbour")
    page.set_input_files(
        "#id_file", {"name": "harbour.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.fill("#id_description", DESCRIPTION)
    with page.expect_navigation(wait_until="load"):
        page.locator("form [type='submit']").last.click()
    expect(page.locator(".messages")).to_contain_text("Harbour")

    index_id = page_id(page, "blog.TopicIndexPage")
    page.goto(f"/admin/pages/add/blog/topicpostpage/{index_id}/")
    page.fill("#id_title", "A post with a figure")
    page.fill("#id_summary", "Text, then an image, then text.")
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill(SLUG)
    page.get_by_role("tab", name="Content").click()
    page.get_by_role("radio", name="Databases and the ORM").check()
    body = page.locator("#panel-child-content-body-content")
    add_block(page, body, "Markdown")
    body.locator(".CodeMirror").first.click()
    page.keyboard.type("The paragraph before the figure.")
    add_block(page, body, "Image")
    alt = body.locator("input[name$='-value-alt_text']").last
    expect(alt).to_have_value("")
    body.locator("[data-chooser-action-choose]").last.click()
    page.locator(".modal-content a[data-chooser-modal-choice]", has_text="Harbour").first.click()
    expect(page.locator(".modal-content")).to_be_hidden()

    expect(alt).to_have_value(DESCRIPTION)

    publish(page)
    page.goto(f"/posts/{SLUG}/")
    figure = page.locator(".post-body figure.image")
    paragraph = page.locator(".post-body p", has_text="The paragraph before the figure.")
    expect(figure.locator("img")).to_have_attribute("alt", DESCRIPTION)
    figure_box, text_box = figure.bounding_box(), paragraph.bounding_box()
    assert abs(figure_box["x"] - text_box["x"]) < 1
    assert figure_box["x"] + figure_box["width"] <= text_box["x"] + text_box["width"] + 1
    assert [url for url in failed if "/media/" not in url] == []
    assert [e for e in console_errors if "Failed to load resource" not in e] == []
