"""The API's login: the UI's `--auth user:password` as HTTP Basic, or a bearer token.

    Authorization: Basic base64(user:password)
    Authorization: Bearer <api_token>       (no api_token set: the --auth password)

No `--auth` and no `api_token`: the API is open, like the UI.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from fastapi import Request

from api.errors import ApiError


class Gate:
    def __init__(self, login: tuple[str, str] | None, token: str = "", verify=None) -> None:
        self.login = login
        self.token = token or (login[1] if login else "")
        self.verify = verify  # (user, password) -> bool, e.g. ui.login.LoginGuard (rate-limited)

    @property
    def open(self) -> bool:
        return not (self.login or self.token)

    def check(self, request: Request) -> str:
        """The user name ('' when open or by token); raises 401 otherwise."""
        if self.open:
            return ""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        scheme, value = scheme.lower(), value.strip()
        if scheme == "bearer" and self.token and _same(value, self.token):
            return self.login[0] if self.login else "token"
        if scheme == "basic" and self.login:
            user, password = _basic(value)
            if self.verify is not None:
                if self.verify(user, password):
                    return user
            elif _same(user, self.login[0]) & _same(password, self.login[1]):
                return user
        raise ApiError(
            401,
            "需要登录：HTTP Basic（--auth 的用户名和密码）或 Authorization: Bearer <令牌>",
            headers={"WWW-Authenticate": 'Basic realm="policyqa", charset="UTF-8"'},
        )


def _basic(value: str) -> tuple[str, str]:
    try:
        user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "", ""
    return user, password


def _same(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
