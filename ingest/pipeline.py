"""Files in, records out: load -> clean -> split -> tag, one bad file never stops the rest."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import parse_document
from ingest.errors import IngestError
from ingest.loaders import iter_corpus_files, read_text
from ingest.record import Article, sha1
from ingest.tags import tags_for
from ingest.versions import link_articles
from settings import Settings


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # files that gave records


def doc_id_for(path: Path) -> str:
    """Stable per file name: an edited file keeps its id, so unchanged articles keep theirs."""
    return sha1(path.name)[:12]


def folders_of(path: Path, root: Path | None) -> tuple[str, ...]:
    """Folder names between the corpus root and the file: ('地方法规', '浙江')."""
    if root is None:
        return ()
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).parts[:-1]
    except ValueError:
        return ()


def ingest_file(path: Path, settings: Settings, root: Path | None = None) -> list[Article]:
    """One file's records; raises IngestError when the file cannot give any.

    Versions are not linked here (that needs the whole library: `ingest_paths` does it).
    """
    raw = read_text(path, int(settings.max_file_mb * 1024 * 1024))
    articles = parse_document(raw, path.name, doc_id_for(path), folders_of(path, root))
    if not articles:
        raise IngestError(
            path, "no text left after cleaning (only a title, history lines, page numbers or markup?)"
        )
    return [dataclasses.replace(a, tags=tags_for(a)) for a in articles]


def ingest_paths(paths: Iterable[Path | str], settings: Settings, root: Path | None = None) -> IngestResult:
    """Ingest each file, then link the versions of each title; a bad file becomes one error line
    and the others go on. `root` is the corpus folder (its sub-folders are evidence of kind and place)."""
    result = IngestResult()
    for path in map(Path, paths):
        try:
            articles = ingest_file(path, settings, root)
        except IngestError as err:
            result.errors.append(err)
            continue
        result.articles.extend(articles)
        result.files.append(path)
    result.articles = link_articles(result.articles)
    return result


def load_corpus(settings: Settings) -> IngestResult:
    """Every supported file in the corpus folder; unsupported ones are reported, not fatal."""
    folder = Path(settings.corpus_dir)
    if not folder.is_dir():
        return IngestResult(errors=[IngestError(folder, "corpus folder does not exist")])
    return ingest_paths(iter_corpus_files(folder), settings, folder)
