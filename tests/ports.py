"""Free TCP ports on loopback, for the servers tests start."""

import socket


def free_port() -> int:
    """A TCP port nothing listens on right now, picked by the kernel."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
