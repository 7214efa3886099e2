"""Content-Security-Policy through django-csp: the admin's exceptions, and no nonce.

The policy itself is in settings (CONTENT_SECURITY_POLICY, or CONTENT_SECURITY_POLICY_REPORT_ONLY
in report-only mode); a view changes its own with django-csp's decorators (csp_update,
csp_replace, csp_exempt).

Public pages need no inline script or style at all (tests/serving/test_security.py checks every
page type), so the policy carries no nonce: a nonce would only have to be new on every response,
which a page served from the page cache cannot be. The Wagtail admin renders inline scripts and
styles of its own, without nonces, so pages under /admin/ get 'unsafe-inline' for those two
(a nonce in the same directive would make browsers ignore 'unsafe-inline' and break the admin),
may show blob: images (upload previews) and frame the preview, and still load nothing from
other origins.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"
# What the admin's pages change in the site's policy (replaced directives, then added sources).
ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],  # the preview panel frames admin views
}
ADMIN_UPDATE = {"img-src": ["blob:"]}


def is_admin(request):
    # Wagtail renders previews through a dummy request for the page's own URL; the admin's
    # preview panel frames that response, so it gets the admin's policy too.
    return request.path.startswith(ADMIN_PREFIX) or getattr(request, "is_dummy", False)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if is_admin(request):
            # A view's own decorator still has the last word over the admin's defaults.
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
        return parts
