/*
 * The Markdown editor's toolbar (EasyMDE, from wagtail-markdown), fitted to this site:
 * - H makes a "## " heading: level-2 headings build a post's table of contents (EasyMDE's own H
 *   starts at "# ", the page title's level).
 * - The image button opens Wagtail's image library and inserts ![description](image:ID), which
 *   the site renders from the library (EasyMDE's own inserts ![](https://)).
 * - Side by side stays inside the page instead of going full screen, and there is no full-screen
 *   button or F11: a full-screen editor covers the save bar.
 * - Every toolbar button can be reached with Tab (EasyMDE takes them out of the tab order).
 * Loaded before wagtail-markdown's scripts read their options (blog.blocks.MarkdownTextarea).
 */
(function () {
    "use strict";

    function heading(editor) {
        window.EasyMDE.toggleHeading2(editor);
    }

    function chooseImage(editor) {
        var url = editor.element.getAttribute("data-image-chooser-url");
        if (!url || !window.ImageChooserModal) {
            window.EasyMDE.drawImage(editor);
            return;
        }
        new window.ImageChooserModal(url).open({}, function (image) {
            var alt = (image.default_alt_text || image.title || "").replace(/[[\]\n]/g, " ").trim();
            var cm = editor.codemirror;
            cm.replaceSelection("![" + alt + "](image:" + image.id + ")");
            cm.focus();
        });
    }

    window.wagtailMarkdown = window.wagtailMarkdown || {};
    var options = (window.wagtailMarkdown.options = window.wagtailMarkdown.options || {});
    options.toolbar = [
        "bold",
        "italic",
        {
            name: "heading",
            action: heading,
            className: "fa fa-header",
            title: "Heading (##): headings build the table of contents"
        },
        "|",
        "quote",
        "unordered-list",
        "ordered-list",
        "|",
        "link",
        {
            name: "image",
            action: chooseImage,
            className: "fa fa-image",
            title: "Image from the image library"
        },
        "|",
        "preview",
        "side-by-side",
        "|",
        "guide"
    ];
    options.sideBySideFullscreen = false;
    options.shortcuts = Object.assign({}, options.shortcuts, {
        toggleFullScreen: null,
        toggleHeadingSmaller: null,
        toggleHeading2: "Cmd-H",
        drawImage: null
    });

    function reachable(root) {
        if (!root.querySelectorAll) {
            return;
        }
        root.querySelectorAll(".editor-toolbar button").forEach(function (button) {
            button.tabIndex = 0;
            if (!button.getAttribute("aria-label") && button.title) {
                button.setAttribute("aria-label", button.title.replace(/\s*\(.*\)$/, ""));
            }
        });
    }

    function start() {
        reachable(document);
        new MutationObserver(function (mutations) {
            mutations.forEach(function (mutation) {
                mutation.addedNodes.forEach(function (node) {
                    if (node.nodeType === Node.ELEMENT_NODE) {
                        reachable(node.parentNode || node);
                    }
                });
            });
        }).observe(document.body, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
