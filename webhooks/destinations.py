"""Where a webhook may be sent, and sending it there.

The rule (server-side request forgery): an endpoint is an HTTPS address on
the public internet. Its host name is resolved when it is registered and
again at every delivery, and the connection goes to the address that was
checked (never resolved a second time), so a name that later resolves to a
private, loopback or link-local address (a cloud metadata service, a
database on the internal network) is refused, not reached. Redirects are not
followed. Only where settings.WEBHOOKS_ALLOW_LOOPBACK is on (DEBUG and the
tests) may an endpoint be plain HTTP on a loopback address, for a receiver
on the same machine.
"""

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 10
# What is kept of a response body for the deliveries page.
RESPONSE_KEPT = 500


class DestinationRefused(Exception):
    """The address may not receive webhooks; the message says why, for the user."""


def _addresses(host: str, port: int) -> list:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise DestinationRefused(f"The host {host} could not be found") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))


def _plain(address):
    """An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as itself."""
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def check(url: str) -> tuple[str, str, int, str]:
    """Checks an endpoint address; returns (scheme, host, port, address to connect to).
    Raises DestinationRefused with the reason."""
    allow_loopback = getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", settings.DEBUG)
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise DestinationRefused("Enter a web address such as https://example.org/webhooks") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise DestinationRefused("Enter a web address such as https://example.org/webhooks")
    if parts.username or parts.password:
        raise DestinationRefused("The address must not contain a user name or password")
    port = port or (443 if scheme == "https" else 80)
    addresses = [_plain(a) for a in _addresses(parts.hostname, port)]
    if not addresses:
        raise DestinationRefused(f"The host {parts.hostname} could not be found")
    loopback = all(a.is_loopback for a in addresses)
    if allow_loopback and loopback:
        return scheme, parts.hostname, port, str(addresses[0])
    if scheme != "https":
        raise DestinationRefused("The address must start with https://")
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise DestinationRefused(
                f"The host {parts.hostname} is a private, loopback or link-local address ({address}): "
                "webhooks are sent only to addresses on the public internet"
            )
    return scheme, parts.hostname, port, str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified for the host name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    """POSTs `body` to a checked address; returns the status and the start of the answer.
    Raises DestinationRefused, OSError or http.client.HTTPException."""
    scheme, host, port, address = check(url)
    parts = urlsplit(url.strip())
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(RESPONSE_KEPT).decode("utf-8", "replace")
        return response.status, answer
    finally:
        connection.close()
