"""Bad requests get a clear 4xx with a JSON body, never a 500.

Every error is `{"error": {"message": …, "type": …, "code": status}}` — the shape
OpenAI clients read — so one handler serves /api and /v1.
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def response(err: ApiError) -> JSONResponse:
    kind = TYPES.get(err.status, "invalid_request_error" if err.status < 500 else "server_error")
    body = {"error": {"message": err.message, "type": kind, "code": err.status}}
    return JSONResponse(body, status_code=err.status, headers=err.headers)


async def handler(request: Request, err: ApiError) -> JSONResponse:
    return response(err)


async def read_json(request: Request, limit_bytes: int) -> object:
    """The request body as JSON; 413 past `limit_bytes` (read in pieces, never all of a huge body)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit_bytes:
        raise ApiError(413, f"请求体过大（{int(declared)} 字节，最多 {limit_bytes} 字节）")
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > limit_bytes:
            raise ApiError(413, f"请求体过大（超过 {limit_bytes} 字节）")
    if not body.strip():
        raise ApiError(400, "请求体为空：需要 JSON")
    try:
        return json.loads(bytes(body).decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "请求体不是 UTF-8 编码的 JSON") from None
    except json.JSONDecodeError as e:
        raise ApiError(400, f"JSON 格式错误：第 {e.lineno} 行第 {e.colno} 列，{e.msg}") from None


def parse(model: type[BaseModel], data: object) -> BaseModel:
    """Validate a JSON body against a request model; the first problems in one line."""
    if not isinstance(data, dict):
        raise ApiError(400, "请求体应为 JSON 对象")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, p['loc'])) or '(body)'}: {p['msg']}" for p in e.errors()[:5]
        )
        raise ApiError(422, f"请求字段有误：{problems}") from None
