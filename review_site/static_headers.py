"""Security headers for static files.

WhiteNoise answers static files before the inner middleware runs, so the Content-Security-Policy (django-csp),
Cross-Origin-Resource-Policy and X-Frame-Options those add would be missing; SecurityMiddleware, outside
WhiteNoise, still adds the rest (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS).
"""


def add_security_headers(headers, path, url):
    from csp.utils import build_policy
    from django.conf import settings

    headers["Content-Security-Policy"] = build_policy()
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
