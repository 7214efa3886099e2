"""An editor writes a post in the Wagtail admin, previews and publishes it, adds it to the
compilation, and sees both live."""

import contextlib
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, EDITOR, screenshot

TITLE = "Connection pooling from the browser"
# Wagtail 8 autosaves the editor's form as it changes; while the form is still incomplete (no
# topic chosen yet) the autosave is answered 400 and the browser logs that. Nothing else may be.
AUTOSAVE_URL = re.compile(r"/admin/pages/(add/[\w.]+/[\w]+/\d+|\d+/edit)/$")
REFUSED_AUTOSAVE = "Failed to load resource: the server responded with a status of 400"


def unexpected(errors, refused):
    """Console errors, less those that report an incomplete form's refused autosave."""
    if any(not AUTOSAVE_URL.search(url) for url in refused):
        return errors
    return [e for e in errors if REFUSED_AUTOSAVE not in e]


SLUG = "connection-pooling-from-the-browser"


def toolbar_png(page):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / "editor-markdown-toolbar.png"


def log_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", EDITOR["username"])
    page.fill("#id_password", EDITOR["password"])
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def page_id(page, model, slug=None):
    """A page's id, read from the read-only API like any client would."""
    query = f"/api/v2/pages/?type={model}" + (f"&slug={slug}" if slug else "")
    return page.request.get(query).json()["items"][0]["id"]


def add_block(page, container, name):
    container.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name=name, exact=True).click()


def open_first_section_with_a_new_post_entry(page, compilation_id):
    """Open the compilation editor, follow its first section to that section's own editor and
    add a Post entry to it.

    On a loaded machine the editor's scripts sometimes finish laying the entries out after our
    click, leaving the new entry hidden; an editor would reload, and so does this, once.
    """
    # Leaving an edited form asks "leave this page?"; the reload below says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/admin/pages/{compilation_id}/edit/")
    page.locator(".compilation-sections__item a").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    section_url = page.url
    for attempt in (1, 2):
        if attempt == 2:
            page.goto(section_url)
        entries = page.locator("[data-contentpath='entries']").first
        add_block(page, entries, "Post")
        chooser = entries.locator("[data-chooser-action-choose]").last
        try:
            expect(chooser).to_be_visible(timeout=10_000)
            return entries
        except AssertionError:
            if attempt == 2:
                raise


def save_draft(page):
    """Press the footer's Save draft and wait for the editor to come back from the server.

    Wagtail's autosave posts the form in the background and then puts parts of the editor back
    from its answer; a click that lands while it does can be lost, and no save happens. So wait
    for the autosave to rest first, and if the page has not reloaded after 15 s, submit the form
    with the same button once more (a draft saved twice is the same draft).
    """
    resting = """() => {
        const indicator = document.getElementById('w-autosave-indicator');
        return !indicator || indicator.getAttribute('data-w-autosave-state-value') !== 'saving';
    }"""
    for attempt in (1, 2):
        page.wait_for_function(resting, timeout=30_000)
        wait = 15_000 if attempt == 1 else 60_000
        try:
            with page.expect_navigation(wait_until="load", timeout=wait):
                if attempt == 1:
                    page.locator("footer button.action-save").first.click()
                else:
                    page.evaluate(
                        """() => {
                            const button = document.querySelector('footer button.action-save');
                            button.form.requestSubmit(button);
                        }"""
                    )
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def publish(page):
    """Open the footer's action menu, publish, and wait for the admin to answer.

    On a new page, Wagtail's autosave creates the page and then moves the form to its edit view;
    a publish posted to the create view in between finds its own slug taken. Give a pending
    autosave the time to land first.
    """
    if "/add/" in page.url:
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=5_000)
    button = page.locator("button[name='action-publish']")
    page.locator("footer .w-dropdown__toggle.button").click()
    expect(button).to_be_visible()
    with page.expect_navigation(wait_until="load", timeout=60_000):
        button.click()
    messages = page.locator(".messages")
    messages.wait_for()
    problems = page.locator(".error-message").all_inner_texts()
    assert "published" in messages.inner_text(), problems


def test_editor_writes_previews_publishes_and_adds_a_post_to_the_compilation(
    page, console_errors, live_url
):
    # Anything the admin or the site asks of another host: a CDN font, say.
    elsewhere = []
    local = (live_url, "data:", "blob:", "about:")
    page.on(
        "request",
        lambda request: None if request.url.startswith(local) else elsewhere.append(request.url),
    )
    refused = []  # POSTs answered 400, by URL; anything else that fails is in console_errors
    page.on(
        "response",
        lambda response: (
            refused.append(response.url)
            if response.status == 400 and response.request.method == "POST"
            else None
        ),
    )
    log_in(page)
    index_id = page_id(page, "blog.TopicIndexPage")

    # A new post with a Markdown block and a code block.
    page.goto(f"/admin/pages/add/blog/topicpostpage/{index_id}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Why PgBouncer sits between Django and PostgreSQL.")
    # Wagtail fills the slug from the title as the title field is left; give it that chance
    # before typing one, so the two never race.
    page.get_by_role("tab", name="Promote").click()
    slug = page.locator("#id_slug")
    try:
        expect(slug).to_have_value(SLUG, timeout=5_000)
    except AssertionError:
        slug.fill(SLUG)
    expect(slug).to_have_value(SLUG)
    page.get_by_role("tab", name="Content").click()
    # A topic is picked from the list of every topic, no pop-up.
    page.get_by_role("radio", name="Databases and the ORM").check()
    body = page.locator("#panel-child-content-body-content")
    add_block(page, body, "Markdown")
    body.locator(".CodeMirror").first.click()
    page.keyboard.type("## Pool size\n\nKeep *one* pool per host.")
    expect(body.locator(".CodeMirror").first).to_contain_text("Keep *one* pool per host.")
    # The toolbar's buttons have faces without the icon font EasyMDE would fetch from a CDN.
    bold = body.locator(".editor-toolbar button.bold i").first
    assert bold.evaluate("i => getComputedStyle(i, '::before').content") == '"B"'
    body.locator(".editor-toolbar").first.screenshot(path=str(toolbar_png(page)))
    add_block(page, body, "Code")
    body.locator("select[name$='-value-language']").last.select_option("ini")
    body.locator("textarea[name$='-value-source']").last.fill("[databases]\nsite = host=db")

    # Preview shows the draft as readers will see it.
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(TITLE, timeout=20_000)
    expect(preview.locator("h2#pool-size")).to_be_visible()
    expect(preview.locator(".code-block__body")).to_contain_text("host=db")

    # Publish, then read it on the site.
    publish(page)
    page.goto(f"/posts/{SLUG}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".post-body h2#pool-size")).to_contain_text("Pool size")
    expect(page.locator(".post-body em")).to_have_text("one")
    expect(page.locator(".code-block__body .highlight")).to_contain_text("host=db")
    screenshot(page, "editor-post")

    # Add it to the first section of the compilation and publish that too.
    compilation_id = page_id(page, "blog.CompilationPage")
    section = open_first_section_with_a_new_post_entry(page, compilation_id)
    section.locator("[data-chooser-action-choose]").last.click()
    # The chooser opens on the posts (the block only accepts posts); search to be sure.
    modal = page.locator(".modal-content")
    modal.locator("input[name='q']").fill("pooling")
    modal.locator(f"a.choose-page[data-title='{TITLE}']").click()
    expect(modal).to_be_hidden()
    section.locator("textarea[name$='-value-annotation']").last.fill("Pooling, from the browser.")
    publish(page)

    page.goto("/django-at-scale-in-production/")
    entry = page.locator("section.section").first.locator("li.entry--post").last
    expect(entry.locator("a.entry__title")).to_have_text(TITLE)
    expect(entry).to_contain_text("Pooling, from the browser.")
    entry.locator("a.entry__title").click()
    expect(page.locator(".featured-in")).to_contain_text("Django at Scale in Production")

    assert unexpected(console_errors, refused) == []
    assert elsewhere == []
