"""The HTTP API beside the UI: /api/ask, /api/search, /api/articles/{id}, /api/documents and an
OpenAI-compatible /v1/chat/completions. It only calls the engine and the index (ui.Services).

    app = build_api(services, login=("staff", "secret"))   # FastAPI; app.py mounts the Gradio UI on it
"""

from __future__ import annotations

from fastapi import FastAPI

from api.auth import Gate
from api.errors import ApiError, handler
from api.routes import router


def build_api(services, login: tuple[str, str] | None = None, verify=None) -> FastAPI:
    """`login` = the --auth (user, password); `verify(user, password) -> bool` checks a Basic login
    (app.py passes the UI's LoginGuard, so wrong passwords are braked on the API as on the page)."""
    app = FastAPI(title="政策问答 API", docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.add_exception_handler(ApiError, handler)
    app.include_router(router(services, Gate(login, services.settings.api_token, verify)))
    return app


__all__ = ["build_api"]
