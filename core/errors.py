"""Error reports that reach a person without a respondent's data in them: the ADMINS email (Django's mail_admins
handler, and its report) here, Sentry in core/sentry.py.

A 500 can happen in the middle of someone's response: their answers are in the request body, their address may be
in the query string or an exception message, their session in a cookie. None of that leaves the site in a report.
What does: the exception, the traceback (no local variables), the path, the method and the request id.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .logging import FILTERED, filtered_query_string, redact
from .request_id import current_staff_user_id

# request.META keys an error report may show as they are: none names a person or carries what they sent.
SAFE_META = frozenset(
    {
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_HOST",
        "HTTP_X_REQUEST_ID",
        "PATH_INFO",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "wsgi.url_scheme",
    }
)


class NoPersonalDataFilter(SafeExceptionReporterFilter):
    """With DEBUG off (every server): no POST values, cookies, query values, client address or headers beyond
    SAFE_META, and no local variables in tracebacks."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, FILTERED)

    def get_safe_cookies(self, request):
        if not self.is_active(request):
            return super().get_safe_cookies(request)
        return dict.fromkeys(getattr(request, "COOKIES", {}), FILTERED)

    def get_safe_request_meta(self, request):
        if not self.is_active(request):
            return super().get_safe_request_meta(request)
        meta = getattr(request, "META", {})
        return {key: (value if key in SAFE_META else FILTERED) for key, value in meta.items() if isinstance(key, str)}

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, FILTERED) for name in tb_frame.f_locals]


class NoPersonalDataReporter(ExceptionReporter):
    """Django's report with what its filter does not cover also filtered: the query string (in GET and the URL),
    the names of uploaded files, the user (a staff member by id only) and addresses in the exception's message."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        if self.request is not None:
            data["request_GET_items"] = [(name, FILTERED) for name in self.request.GET]
            data["request_FILES_items"] = [(name, FILTERED) for name in self.request.FILES]
            query = filtered_query_string(self.request.META.get("QUERY_STRING", ""))
            data["request_insecure_uri"] = self.request.path + (f"?{query}" if query else "")
            user_id = current_staff_user_id(self.request)
            data["user_str"] = f"staff user #{user_id}" if user_id is not None else "not staff"
        for key in ("exception_value", "exception_notes"):
            if data.get(key):
                data[key] = redact(data[key])
        for frame in data.get("frames", []):
            if frame.get("exc_cause"):
                frame["exc_cause"] = redact(str(frame["exc_cause"]))
        return data
