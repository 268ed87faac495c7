"""Which hosts may be fetched: resolve a name once, refuse every address that is not public."""

from __future__ import annotations

import ipaddress
import socket

from briefgen.clip.errors import AddressRefused, FetchError

__all__ = ["IPAddress", "is_public", "resolve"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local
    (169.254.x, fe80::), unspecified, multicast, reserved, shared and documentation ranges,
    and for IPv6 forms that embed such an IPv4 address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
        if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64 of an IPv4 address
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                 or ip.is_link_local or ip.is_private or ip.is_unspecified)


def _why(ip: IPAddress) -> str:
    for label, flag in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                        ("unspecified", ip.is_unspecified), ("multicast", ip.is_multicast),
                        ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if flag:
            return label
    return "not public"


def resolve(host: str, port: int, allow_private: bool) -> IPAddress:
    """The address to connect to for host: every address the name resolves to must be public
    (unless allow_private); numeric forms such as 2130706433 or 0x7f.1 are resolved the same
    way, so they are checked as the address they stand for."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        for ip in addresses:
            if not is_public(ip):
                raise AddressRefused(
                    f"refusing to fetch from {host!r}: it resolves to {ip}, a {_why(ip)} "
                    "address (use --allow-private for an intranet site you trust)")
    return addresses[0]
