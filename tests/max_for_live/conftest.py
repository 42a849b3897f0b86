"""Fixtures shared by the device tests that talk to a real daemon over UDP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.max_for_live.support import UdpClient


@pytest.fixture(scope="module")
def client() -> Iterator[UdpClient]:
    """Plays the device's network role for a module's tests: sends to the daemon, collects its replies."""
    udp = UdpClient()
    yield udp
    udp.close()
