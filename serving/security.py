"""Content-Security-Policy: scripts only from our own origin, never inline, on public pages.

Django 5.2 has no CSP support of its own, and the policy is a single header, so it is set here.
The public policy allows no inline script or style at all. The Wagtail admin still renders a
few inline scripts (date pickers, inline panels) and inline styles, so pages under /admin/ get a
policy that allows those, and nothing from other origins.
"""

from django.conf import settings


def build_policy(directives):
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def public_directives():
    extra = list(getattr(settings, "CSP_EXTRA_IMG_SRC", ()))
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *extra],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def admin_directives():
    directives = public_directives()
    directives["script-src"] = ["'self'", "'unsafe-inline'"]
    directives["style-src"] = ["'self'", "'unsafe-inline'"]
    directives["img-src"] = [*directives["img-src"], "blob:"]
    directives["frame-src"] = ["'self'"]
    directives["frame-ancestors"] = ["'self'"]  # the preview panel frames admin views
    return directives


class ContentSecurityPolicyMiddleware:
    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = build_policy(public_directives())
        self.admin_policy = build_policy(admin_directives())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response:
            # Wagtail renders previews through a dummy request for the page's own URL; the
            # admin's preview panel frames that response, so it gets the admin policy too.
            admin = request.path.startswith("/admin/") or getattr(request, "is_dummy", False)
            response[self.header] = self.admin_policy if admin else self.public_policy
        return response
