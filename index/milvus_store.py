"""The Milvus side of the Milvus backend: connection, collection schema, rows, manifest.

One collection per index (`settings.milvus_collection`): a row per article with its
dense e5 vector, the passage text that Milvus's BM25 function turns into a sparse
vector (jieba analyzer with the library's own dictionary and stopwords), the document
id for filters, a hash for refresh, and the article record itself, so a replica that
only knows the URI can serve lookups and cite articles. A second, one-row collection
(`…_meta`) holds the manifest: embedder, dimension, dictionary hash.

`milvus_uri`: a path (or "") = Milvus Lite embedded in a file (default data_dir/milvus.db);
http(s)://host:port = a Milvus server or cluster.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from pathlib import Path

from index.tokens import STOPWORDS, normalise
from ingest.record import Article, sha1
from settings import Settings

FORMAT = 1  # bump when the schema changes: the collection is then rebuilt
MAX_VARCHAR = 65535  # bytes: Milvus's VARCHAR limit
META_ID = "manifest"


def uri(settings: Settings) -> str:
    u = settings.milvus_uri.strip()
    if not u:
        return str(Path(settings.data_dir) / "milvus.db")
    return u


def is_server(u: str) -> bool:
    return u.startswith(("http://", "https://", "tcp://", "grpc://"))


# Milvus Lite keeps BM25 statistics per segment and seals a segment whenever its memtable or WAL
# passes a byte budget (128 MB / 256 MB by default: ~5 segments at 146k law articles, each with
# the IDF of a few legal fields). Larger budgets keep a library built in one refresh in one
# segment, so its BM25 is the collection's (on 7.7k articles in 3 segments qa hit@1 fell
# 0.875 -> 0.839). Costs memory while writing; set the variables to override.
LITE_BUDGETS = {
    "MILVUS_LITE_MEMTABLE_MEMORY_LIMIT_BYTES": 2 * 2**30,
    "MILVUS_LITE_WAL_SIZE_LIMIT_BYTES": 4 * 2**30,
}


def connect(settings: Settings):
    """A MilvusClient on the configured URI (Lite starts in-process for a path)."""
    u = uri(settings)
    if not is_server(u):
        for name, value in LITE_BUDGETS.items():
            os.environ.setdefault(name, str(value))  # read once, when milvus_lite is first imported
        Path(u).parent.mkdir(parents=True, exist_ok=True)
    from pymilvus import MilvusClient

    return MilvusClient(u)


def analyzer(words: list[str]) -> dict:
    """jieba in search mode with the corpus's programme names, minus the BM25 stopwords.

    Milvus Lite 3.x rejects {"type": "chinese"}; this form works there and on servers.
    """
    return {
        "tokenizer": {"type": "jieba", "dict": ["_default_", *words], "mode": "search"},
        "filter": ["cnalphanumonly", {"type": "stop", "stop_words": sorted(STOPWORDS)}],
    }


def create(client, name: str, dim: int, words: list[str], server: bool) -> None:
    from pymilvus import DataType, Function, FunctionType

    s = client.create_schema(auto_id=False)
    s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=64)
    s.add_field("row", DataType.INT64)  # corpus order
    s.add_field("doc_id", DataType.VARCHAR, max_length=64)
    s.add_field("source", DataType.VARCHAR, max_length=1024)  # file name: keeps a failed file's articles
    s.add_field("hash", DataType.VARCHAR, max_length=64)
    s.add_field(
        "text",
        DataType.VARCHAR,
        max_length=MAX_VARCHAR,
        enable_analyzer=True,
        analyzer_params=analyzer(words),
    )
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("record", DataType.VARCHAR, max_length=MAX_VARCHAR)
    s.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["text"],
            output_field_names=["sparse"],
        )
    )
    ip = client.prepare_index_params()
    # Lite: exact FLAT (its index types are few); a server: AUTOINDEX (HNSW-like, its choice per version)
    ip.add_index("dense", index_type="AUTOINDEX" if server else "FLAT", metric_type="IP")
    ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection(name, schema=s, index_params=ip)


def create_meta(client, name: str) -> None:
    from pymilvus import DataType

    s = client.create_schema(auto_id=False)
    s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=64)
    s.add_field("value", DataType.VARCHAR, max_length=MAX_VARCHAR)
    s.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    ip = client.prepare_index_params()
    ip.add_index("v", index_type="FLAT", metric_type="L2")
    client.create_collection(name, schema=s, index_params=ip)


def read_manifest(client, name: str) -> dict | None:
    """The manifest, with "words": the analyzer's dictionary (stored compressed beside it)."""
    meta = name + "_meta"
    if not (client.has_collection(name) and client.has_collection(meta)):
        return None
    client.load_collection(meta)  # a collection from an earlier process starts released
    rows = {r["id"]: r["value"] for r in client.get(meta, ids=[META_ID, "words"], output_fields=["value"])}
    if META_ID not in rows:
        return None
    manifest = json.loads(rows[META_ID])
    manifest["words"] = _unzip(rows.get("words", "")).split("\n") if rows.get("words") else []
    return manifest


def write_manifest(client, name: str, manifest: dict) -> None:
    meta = name + "_meta"
    if not client.has_collection(meta):
        create_meta(client, meta)
    head = {k: v for k, v in manifest.items() if k != "words"}
    rows = [{"id": META_ID, "value": json.dumps(head, ensure_ascii=False), "v": [0.0, 0.0]}]
    if "words" in manifest:
        rows.append({"id": "words", "value": _zip("\n".join(manifest["words"])), "v": [0.0, 0.0]})
    client.upsert(meta, rows)


def _zip(text: str) -> str:
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def _unzip(value: str) -> str:
    return zlib.decompress(base64.b64decode(value)).decode("utf-8")


def pack(record: dict) -> str:
    """An article record as VARCHAR: JSON, or zlib+base64 JSON when the JSON is over Milvus's limit."""
    text = json.dumps(record, ensure_ascii=False)
    if len(text.encode("utf-8")) < MAX_VARCHAR:
        return text
    packed = "z:" + base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
    if len(packed) >= MAX_VARCHAR:
        raise ValueError(
            f"article {record.get('chunk_id')} is too long for one Milvus row ({len(text)} chars)"
        )
    return packed


def unpack(value: str) -> Article:
    if value.startswith("z:"):
        value = zlib.decompress(base64.b64decode(value[2:])).decode("utf-8")
    return Article.from_json(json.loads(value))


def bm25_text(passage: str) -> str:
    """The text Milvus analyses: normalised as the FAISS side's tokenizer does, cut to the VARCHAR limit."""
    text = normalise(passage)
    data = text.encode("utf-8")[: MAX_VARCHAR - 4]
    return data.decode("utf-8", "ignore")


def record_hash(a: Article) -> str:
    return sha1(json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True))


def row(a: Article, position: int, passage: str, vector) -> dict:
    record = a.to_json()
    return {
        "id": a.chunk_id,
        "row": position,
        "doc_id": a.doc.doc_id,
        "source": a.doc.source[:1000],
        "hash": record_hash(a),
        "text": bm25_text(passage),
        "dense": [float(x) for x in vector],
        "record": pack(record),
    }


def iter_rows(client, name: str, fields: list[str], batch: int = 2000):
    """Every row of the collection (query_iterator: no offset limit)."""
    client.load_collection(name)
    it = client.query_iterator(name, batch_size=batch, filter="", output_fields=fields)
    try:
        while page := it.next():
            yield from page
    finally:
        it.close()
