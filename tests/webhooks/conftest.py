"""A real HTTP receiver on loopback, started by the test, and the endpoints
that point at it."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.enums import SiteRole
from webhooks.enums import EventType, Team
from webhooks.models import Endpoint
from webhooks.signing import new_secret

from ..factories import make_accreditation_people, make_user


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    # Statuses to answer, in order; 200 once they run out.
    answers: list = field(default_factory=list)
    accepted: list = field(default_factory=list)


@pytest.fixture
def receiver():
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                request = Received(headers=dict(self.headers), body=body)
                state.requests.append(request)
                status = state.answers.pop(0) if state.answers else 200
                if 200 <= status < 300:
                    state.accepted.append(request)
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"try later")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks?source=tests"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The receiver is plain HTTP on loopback, as in development."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


@pytest.fixture
def people(db):
    """A course provider (admin user, organisation, course), academy staff, an
    awards administrator, and another course provider."""
    found = make_accreditation_people()
    found["provider"] = found["course"].provider
    found["awards_admin"] = make_user(email="awards@example.org", roles=[SiteRole.AWARDS_ADMIN])
    from ..factories import make_course_provider

    found["other_user"], found["other_provider"] = make_course_provider("Other Learning Ltd")
    return found


def make_endpoint(url, *, organisation=None, team="", events=tuple(EventType), user=None) -> Endpoint:
    endpoint = Endpoint(
        organisation=organisation,
        team="" if organisation else (team or Team.ACADEMY),
        url=url,
        secret=new_secret(),
        created_by=user,
    )
    endpoint.event_types = list(events)
    endpoint.save()
    return endpoint
