"""A small browser for the cluster test: one cookie jar shared by every web
node (cookies do not depend on the port), each request sent to the node the
journey names, redirects returned rather than followed, and a tally of the
requests each node was sent."""

import http.client
import secrets
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class Response:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    def __init__(self, ports: list[int], timeout: float = 120):
        self.ports = ports
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.sent = Counter()

    def request(self, port: int, method: str, path: str, fields=None, files=None) -> Response:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
            if files:
                body, headers["Content-Type"] = _multipart(fields, files)
            else:
                body = urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self._send("127.0.0.1", port, method, path, body, headers, node=port)

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields=None, files=None) -> Response:
        return self.request(port, "POST", path, fields, files)

    def fetch_url(self, url: str) -> Response:
        """A full URL elsewhere (the signed S3 URL): no cookies, not tallied."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self._send(parts.hostname, parts.port, "GET", path, None, {"Host": parts.netloc}, node=None)

    def _send(self, host, port, method, path, body, headers, node) -> Response:
        connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        if node is not None:
            self.sent[node] += 1
            for header in answer.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, content)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, mimetype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mimetype}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
