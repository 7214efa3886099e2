"""The Markdown editor's toolbar: H gives a ## heading, the image button opens the image library,
side by side never covers the save bar, and the buttons are reached with Tab."""

from playwright.sync_api import expect

from tests.e2e.test_editor_journey import add_block, log_in, page_id


def footer_is_uncovered(page):
    """Whether the element at the middle of the save bar belongs to the save bar."""
    return page.evaluate(
        """() => {
            const footer = document.querySelector("footer");
            const box = footer.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const hit = document.elementFromPoint(x, y);
            return footer.contains(hit);
        }"""
    )


def test_markdown_toolbar(page, console_errors):
    # The image library may hold an image uploaded by another journey: its thumbnail is served
    # from /media/, which the journeys' server does not serve.
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    log_in(page)
    index_id = page_id(page, "blog.TopicIndexPage")
    page.goto(f"/admin/pages/add/blog/topicpostpage/{index_id}/")
    body = page.locator("#panel-child-content-body-content")
    add_block(page, body, "Markdown")
    editor = body.locator(".CodeMirror").first
    toolbar = body.locator(".editor-toolbar").first
    editor.click()
    page.keyboard.type("Pool size")

    # H makes a level-2 heading, the level that builds the table of contents.
    toolbar.locator("button.heading").click()
    expect(editor.locator(".CodeMirror-line").first).to_have_text("## Pool size")

    # Every button is in the tab order: Tab goes from one to the next, Enter presses it.
    buttons = toolbar.locator("button")
    assert all(i >= 0 for i in buttons.evaluate_all("bs => bs.map(b => b.tabIndex)"))
    toolbar.locator("button.bold").focus()
    page.keyboard.press("Tab")
    expect(toolbar.locator("button.italic")).to_be_focused()
    page.keyboard.press("Tab")
    expect(toolbar.locator("button.heading")).to_be_focused()
    page.keyboard.press("Enter")
    expect(editor.locator(".CodeMirror-line").first).to_have_text("Pool size")

    # Side by side stays in the page; leaving it leaves nothing full screen over the save bar.
    assert toolbar.locator("button.fullscreen").count() == 0
    toolbar.locator("button.side-by-side").click()
    expect(body.locator(".editor-preview-active-side").first).to_be_visible()
    assert page.locator(".CodeMirror-fullscreen").count() == 0
    assert footer_is_uncovered(page)
    toolbar.locator("button.side-by-side").click()
    expect(body.locator(".editor-preview-active-side")).to_have_count(0)
    assert page.locator(".CodeMirror-fullscreen").count() == 0
    assert footer_is_uncovered(page)

    # The image button opens the image library, not a ![](https://) placeholder.
    toolbar.locator("button.image").click()
    modal = page.locator(".modal-content")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("Choose an image")
    assert "![](https://)" not in editor.inner_text()
    assert [url for url in failed if "/media/" not in url] == []
    assert [e for e in console_errors if "Failed to load resource" not in e] == []
