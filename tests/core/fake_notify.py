"""A local server that answers as GOV.UK Notify's API does for sending an email (POST /v2/notifications/email), on
127.0.0.1, checking what Notify checks: a JWT bearer token signed with the API key's secret, issued by its service."""

import contextlib
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
SECRET = "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b"
API_KEY = f"review_site_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


class FakeNotify:
    def __init__(self):
        self.received = []  # (headers, claims, body) of each accepted request
        self.fail_with = None  # (status, error name, message) to answer the next requests with

    def handler(self):
        notify = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the test reads what was received instead
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def error(self, status, name, message):
                self.answer(status, {"status_code": status, "errors": [{"error": name, "message": message}]})

            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != "/v2/notifications/email":
                    return self.error(404, "NotFound", "Not found")
                scheme, _, token = self.headers.get("Authorization", "").partition(" ")
                try:
                    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
                except jwt.PyJWTError as exc:
                    return self.error(403, "AuthError", f"Invalid token: {exc}")
                if scheme != "Bearer" or claims["iss"] != SERVICE_ID:
                    return self.error(403, "AuthError", "Invalid token: service not found")
                if notify.fail_with:
                    return self.error(*notify.fail_with)
                if body.get("template_id") != TEMPLATE_ID:
                    return self.error(400, "BadRequestError", "Template not found")
                notify.received.append((dict(self.headers), claims, body))
                self.answer(201, self.created(body))

            @staticmethod
            def created(body):
                personalisation = body.get("personalisation", {})
                return {
                    "id": str(uuid.uuid4()),
                    "reference": body.get("reference"),
                    "content": {
                        "subject": personalisation.get("subject", ""),
                        "body": personalisation.get("body", ""),
                        "from_email": "review@notifications.service.gov.uk",
                        "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url"),
                    },
                    "uri": "/v2/notifications/x",
                    "template": {"id": body["template_id"], "version": 1, "uri": "/v2/template/x"},
                    "scheduled_for": None,
                }

        return Handler


@contextlib.contextmanager
def fake_notify_server():
    """Yield (base URL, FakeNotify) for a server on a free port of 127.0.0.1, stopped afterwards."""
    notify = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), notify.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", notify
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
