/*
 * The Markdown editor's own preview (EasyMDE, from wagtail-markdown) turns Markdown into HTML in
 * the editor's browser and, by default, keeps any raw HTML in it: one editor could run script in
 * another editor's admin session. This sanitiser is handed to EasyMDE as its sanitizerFunction and
 * keeps the same markup the server keeps for readers (nh3 settings in base.py); everything else
 * is dropped before the preview reaches the page. Loaded before wagtail-markdown's own scripts
 * (blog.blocks.MarkdownTextarea).
 */
(function () {
    "use strict";

    var TAGS = [
        "p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "tt", "pre", "em", "strong", "ul",
        "sup", "li", "dl", "dd", "dt", "code", "img", "a", "table", "tr", "th", "td", "tbody",
        "caption", "colgroup", "thead", "tfoot", "blockquote", "ol", "hr", "br", "del", "ins"
    ];
    var ATTRIBUTES = {
        "*": ["class"],
        a: ["href", "title"],
        img: ["src", "alt", "title"],
        th: ["rowspan", "colspan", "scope"],
        td: ["rowspan", "colspan", "align"],
        h1: ["id"], h2: ["id"], h3: ["id"], h4: ["id"], h5: ["id"], h6: ["id"],
        sup: ["id"], li: ["id"]
    };
    // Removed with everything inside them, not just unwrapped.
    var DROPPED = [
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed",
        "noscript", "noembed", "textarea", "title", "svg", "math", "select", "form", "button",
        "link", "meta", "base"
    ];
    var SCHEMES = ["http:", "https:", "mailto:", "tel:"];

    function isSafeUrl(value) {
        try {
            // Parsing as the browser would (tabs, new lines and entities already resolved).
            return SCHEMES.indexOf(new URL(value, "https://preview.invalid/").protocol) !== -1;
        } catch (error) {
            return false;
        }
    }

    function clean(parent) {
        Array.prototype.slice.call(parent.childNodes).forEach(function (node) {
            if (node.nodeType === Node.TEXT_NODE) {
                return;
            }
            if (node.nodeType !== Node.ELEMENT_NODE) {
                node.remove();
                return;
            }
            var tag = node.tagName.toLowerCase();
            if (DROPPED.indexOf(tag) !== -1) {
                node.remove();
                return;
            }
            clean(node);
            if (TAGS.indexOf(tag) === -1) {
                node.replaceWith.apply(node, Array.prototype.slice.call(node.childNodes));
                return;
            }
            var allowed = ATTRIBUTES["*"].concat(ATTRIBUTES[tag] || []);
            Array.prototype.slice.call(node.attributes).forEach(function (attribute) {
                var name = attribute.name.toLowerCase();
                var keep = allowed.indexOf(name) !== -1;
                if (keep && (name === "href" || name === "src")) {
                    keep = isSafeUrl(attribute.value);
                }
                if (!keep) {
                    node.removeAttribute(attribute.name);
                }
            });
        });
    }

    function sanitise(html) {
        // A parsed, inert document: nothing in it loads or runs while it is cleaned.
        var doc = new DOMParser().parseFromString("<!DOCTYPE html><body>" + html, "text/html");
        clean(doc.body);
        return doc.body.innerHTML;
    }

    window.wagtailMarkdown = window.wagtailMarkdown || {};
    var options = (window.wagtailMarkdown.options = window.wagtailMarkdown.options || {});
    options.renderingConfig = Object.assign({}, options.renderingConfig, {
        sanitizerFunction: sanitise
    });
    window.wagtailMarkdown.sanitisePreview = sanitise;
    // EasyMDE's own spell checker downloads its dictionaries from a CDN, which the admin's
    // Content-Security-Policy blocks; the browser's spell checking underlines words instead.
    options.spellChecker = false;
    options.nativeSpellcheck = true;
})();
