"""bridge.server: the --allow filter, the outbox, and the socket loop over real UDP on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import socket

from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.server import AllowList, OscServer, UdpOutbox
from tests.bridge.support import OscTestClient, build, is_at


def test_allow_list_serves_loopback_and_the_given_networks() -> None:
    allow = AllowList([ipaddress.ip_network("192.168.1.0/24")])
    assert allow.allows("127.0.0.1") and allow.allows("::1") and allow.allows("192.168.1.77")
    assert allow.allows("::ffff:192.168.1.5")  # an IPv4 client on a dual-stack socket
    assert not allow.allows("192.168.2.1") and not allow.allows("10.0.0.1") and not allow.allows("garbage")


def test_outbox_reports_no_error_for_an_unreachable_target() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        UdpOutbox(sock).send(ReplyTarget("256.0.0.1", 1), OscMessage("/mdg/pong"))  # logged, not raised
    finally:
        sock.close()


def run_server(allow: AllowList) -> tuple[OscServer, OscTestClient]:
    sock, outbox = OscServer.bind("127.0.0.1", 0)
    client = OscTestClient(("127.0.0.1", 0))
    dispatcher = Dispatcher(outbox, client.port)
    dispatcher.register({"/mdg/echo": lambda r: outbox.send(r.reply_to(), OscMessage("/mdg/echo", r.message.args))})
    server = OscServer(sock, dispatcher, allow)
    client.server = server.address
    server.start()
    return server, client


def test_loop_answers_and_survives_garbage() -> None:
    server, client = run_server(AllowList())
    try:
        [echo] = client.query("/mdg/echo", 1, "x", reply="/mdg/echo")
        assert echo.args == (1, "x")
        since = client.mark()
        client.send_raw(b"\x00garbage")
        [error] = client.wait(since, is_at("/mdg/error"))
        assert error.args[:2] == ("", "bad_request") and "not a valid OSC message" in error.args[2]
        client.send_raw(build("/mdg/echo") * 3000)  # over the size limit
        assert client.query("/mdg/echo", 2, reply="/mdg/echo")[0].args == (2,)
        assert server.malformed_count == 2
    finally:
        server.close()
        client.close()


def test_senders_outside_allow_are_dropped_without_an_answer() -> None:
    # Loopback is always allowed, so a foreign sender is simulated at the entry point the socket
    # loop calls for every datagram.
    sock, outbox = OscServer.bind("127.0.0.1", 0)
    seen: list[str] = []
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register({"/mdg/echo": lambda r: seen.append(r.sender_host)})
    server = OscServer(sock, dispatcher, AllowList([ipaddress.ip_network("10.0.0.0/8")]))
    try:
        server.handle_datagram(build("/mdg/echo"), "192.168.2.1")
        server.handle_datagram(b"garbage!", "192.168.2.1")  # not even parsed, so not answered
        server.handle_datagram(build("/mdg/echo"), "10.9.8.7")
        assert seen == ["10.9.8.7"]
        assert (server.dropped_count, server.malformed_count, outbox.sent_count) == (2, 0, 0)
    finally:
        server.close()
