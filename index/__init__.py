"""Article index: BM25 over jieba tokens + multilingual-e5 vectors in FAISS, fused; exact clause lookup.

from index import PolicyIndex, Hit, Filters, refresh, HybridRetriever
refresh(settings)                      # ingest the corpus, embed what changed, switch atomically
idx = open_index(settings)            # the configured backend (faiss files | milvus), a SearchIndex
idx.search("没有抵押物怎么贷款", k=5)   # -> [Hit(article, score, vector_score, keyword_score,
                                       #          best_cosine, shared_information)]
idx.lookup("71号文第8条")               # -> [Article]
idx.closest_sentences(q, articles)     # -> {chunk_id: the sentence closest in meaning to q}
"""

from index.backend import SearchIndex, open_index, refresh_index
from index.errors import IndexMismatch, IndexMissing
from index.filters import Filters
from index.fusion import Fusion
from index.hit import Hit
from index.policy import PolicyIndex
from index.refresh import RefreshReport, refresh
from index.retriever import HybridRetriever

__all__ = [
    "Filters",
    "Fusion",
    "Hit",
    "HybridRetriever",
    "IndexMismatch",
    "IndexMissing",
    "PolicyIndex",
    "RefreshReport",
    "SearchIndex",
    "open_index",
    "refresh",
    "refresh_index",
]
