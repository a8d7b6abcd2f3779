"""The API's routes: each reads a request, calls the engine or the index, returns JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from answer.record import article_json
from api import answers, openai_compat
from api.auth import Gate
from api.errors import ApiError, parse, read_json
from api.models import AskBody, ChatBody, SearchBody, filters_of, history_of, mode_of
from library.listing import document_rows

SSE = "text/event-stream"


def router(services, gate: Gate) -> APIRouter:
    limit = services.settings.api_max_body_kb * 1024
    r = APIRouter(dependencies=[Depends(gate.check)])

    async def body(request: Request, model):
        return parse(model, await read_json(request, limit))

    @r.post("/api/ask")
    async def ask(request: Request):
        b = await body(request, AskBody)
        args = (b.question, history_of(b.history), mode_of(b.mode), filters_of(b.filters))
        if b.stream or SSE in request.headers.get("accept", ""):
            return StreamingResponse(answers.events(services, *args), media_type=SSE)
        return (await _threaded(answers.ask, services, *args)).to_json()

    @r.post("/api/search")
    async def search(request: Request):
        b = await body(request, SearchBody)
        query = b.query.strip()[: services.settings.max_question_chars]
        if not query:
            raise ApiError(400, "query 为空")
        hits = await _threaded(services.index.search, query, b.k, filters_of(b.filters))
        return {"query": query, "hits": [h.to_json(rank) for rank, h in enumerate(hits, 1)]}

    @r.get("/api/articles/{chunk_id}")
    def article(chunk_id: str):
        found = services.article(chunk_id)
        if found is None:
            raise ApiError(404, f"没有编号为 {chunk_id!r} 的条文（编号见 /api/search 或回答的 citations）")
        return {**found.to_json(), **article_json(found)}

    @r.get("/api/documents")
    def documents():
        rows = document_rows(services.documents(), services.articles())
        return {"count": len(rows), "documents": rows}

    @r.post("/v1/chat/completions")
    async def chat(request: Request):
        b = await body(request, ChatBody)
        mode = openai_compat.model_mode(b.model)  # checked before any stream starts: a clear 400
        question, history = openai_compat.question_and_history(b)
        if b.stream:
            return StreamingResponse(openai_compat.chunks(services, b), media_type=SSE)
        answer = await _threaded(answers.ask, services, question, history, mode, None)
        return openai_compat.completion(answer, b.model)

    @r.get("/v1/models")
    def models():
        return openai_compat.models_list()

    return r


async def _threaded(fn, *args):
    """Blocking engine/index work off the event loop, so other requests keep being served."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
