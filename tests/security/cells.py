"""Asking the app one question of the access matrix at a time, each in its own savepoint:
whatever a request changes (a sign-out, a deactivation, a withdrawal) is undone before the
next, so every cell sees the same world and the same signed-in browsers."""
from __future__ import annotations

from typing import Any

from tests.conftest import Client, sign_in
from tests.security import world as world_module

WHO = ("anonymous", "admin", "officer", "member", "school_lead", "partner_officer")


class Asker:
    def __init__(self, app: Any, db_session: Any, world: Any, extra: tuple[str, ...] = ()):
        self.app = app
        self.db_session = db_session
        self.world = world
        self.clients: dict[str, Any] = {}
        self.cookies: dict[str, dict] = {}
        app.test_client_class = Client
        for who in WHO + extra:
            client = app.test_client()
            if who != "anonymous":
                sign_in(client, world.users[who])
            client.fetch_csrf("/account" if who != "anonymous" else "/sign-in")
            self.clients[who] = client
            self.cookies[who] = dict(client._cookies)
        self.db_session.commit()

    def ask(self, who: str, method: str, path: str, data: dict[str, Any] | None = None) -> int:
        client = self.clients[who]
        connection = self.db_session.get_bind()
        self.db_session.commit()
        cell = connection.begin_nested()
        try:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data={"csrf_token": client.csrf} | (data or {}))
            status = response.status_code
            response.close()
            return status
        finally:
            self.db_session.rollback()
            if cell.is_active:
                cell.rollback()
            self.db_session.expire_all()
            client._cookies.clear()
            client._cookies.update(self.cookies[who])

    def url(self, endpoint: str, variant: str = "own") -> str:
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        return world_module.url(self.app, rule, self.world, variant)
