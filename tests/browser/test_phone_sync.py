"""A phone that comes back asks for what it missed by the moment of its last whole view, not by
its last tally: a tally (say, the one in its ballot's acknowledgement) carries counts only. It asks
with the connect and is sent it right after (`synced`); a phone whose first view is lost on the way
asks with `sync` itself.

The phone's connection runs through playwright's websocket route, which can hold back the
server's `state` frames, as frames still on their way are lost when a connection fails, and then
cut the connection. Debian's Chromium against a real server; the moderator is a socket.io client.
"""
from __future__ import annotations

from typing import Any

from playwright.async_api import WebSocketRoute, expect

from support.browser import PHONE, chromium, new_page, vote
from support.wire import until

QUESTION = "是否同意为3号楼加装电梯"


class Relay:
    """Every websocket of a page, relayed; the server's views can be held back and the link cut."""

    def __init__(self, drop_first_views: bool = False) -> None:
        self.hold_views = False
        self.held = 0  # `state` frames not passed on
        self.drop_first_views = drop_first_views
        self.dropped = 0  # `synced` frames not passed on
        self.links: list[WebSocketRoute] = []
        self.sent: list[list[str]] = []  # what the page sent, each connection's

    def route(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        self.links.append(page_side)
        sent: list[str] = []
        self.sent.append(sent)

        def from_server(frame: str | bytes) -> None:
            if self.hold_views and isinstance(frame, str) and frame.startswith('42["state"'):
                self.held += 1
                return
            if self.drop_first_views and isinstance(frame, str) and frame.startswith('42["synced"'):
                self.dropped += 1
                return
            page_side.send(frame)

        def from_page(frame: str | bytes) -> None:
            sent.append(frame if isinstance(frame, str) else "")
            server_side.send(frame)

        server_side.on_message(from_server)
        page_side.on_message(from_page)

    async def cut(self) -> None:
        """The network drops: the page's connection closes (socket.io will connect again)."""
        await self.links[-1].close()


async def test_a_phone_with_a_newer_tally_than_view_is_sent_the_view_it_missed(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("open_poll", {"question": QUESTION}))["ok"]
    relay = Relay()
    async with chromium() as browser:
        phone = await new_page(browser, **PHONE)
        errors: list[str] = []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        await phone.route_web_socket("**/socket.io/**", relay.route)
        await phone.goto(meeting["links"]["join"])
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await phone.locator("#walkin-name").fill("钱大爷")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("钱大爷")
        await expect(phone.locator("#vote-polls .question")).to_have_text(QUESTION)
        await expect(phone.locator("#speaker-name")).to_have_text("暂无人发言")

        # The moderator gives the floor to 赵大妈; the view saying so never reaches the phone.
        relay.hold_views = True
        assert (await mod.send("add_speaker", {"name": "赵大妈", "category": "property", "stance": "against"}))["ok"]
        assert (await mod.send("grant_floor"))["ok"]
        await until(lambda: relay.held >= 1, "the view with the new speaker was never sent to the phone")
        await expect(phone.locator("#speaker-name")).to_have_text("暂无人发言")

        # The phone votes: its acknowledgement's tally is newer than everything it has seen.
        await vote(phone, 0)
        await expect(phone.locator("#vote-polls .counted")).to_have_text("已计入。目前共 1 票：赞成 1 · 反对 0 · 弃权 0")

        # The connection drops and comes back: the phone must be told what it missed.
        relay.hold_views = False
        await relay.cut()
        await until(lambda: len(relay.links) == 2, "the phone never connected again")
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(phone.locator("#speaker-name")).to_have_text("赵大妈")
        await expect(phone.locator("#vote-polls .voted")).to_have_text("您已投票：赞成")  # and its vote is still shown
        await expect(phone.locator("#vote-polls .counted")).to_have_text("已计入。目前共 1 票：赞成 1 · 反对 0 · 弃权 0")
        # It was sent what it missed with the connection (it asked in the connect, by its last view).
        assert not any('["sync"' in f for f in relay.sent[1]), relay.sent[1]
        assert errors == []


async def test_a_phone_whose_first_view_is_lost_on_the_way_asks_for_it(server: Any) -> None:
    meeting = await server.create_meeting()
    relay = Relay(drop_first_views=True)
    async with chromium() as browser:
        phone = await new_page(browser, **PHONE)
        errors: list[str] = []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        await phone.route_web_socket("**/socket.io/**", relay.route)
        await phone.goto(meeting["links"]["join"])
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        assert relay.dropped == 1 and any('["sync"' in f for f in relay.sent[0]), relay.sent
        await phone.locator("#walkin-name").fill("钱大爷")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("钱大爷")
        assert errors == []
