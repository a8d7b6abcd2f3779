"""Files in, records out: load -> clean -> split -> tag, one bad file never stops the rest."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
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


def doc_id_for(path: Path, rel: Path | None = None) -> str:
    """Stable per file name: an edited file keeps its id, so unchanged articles keep theirs.

    A file in a subfolder is named by its path under the corpus root (`rel`): in the law
    library the same file name occurs in two folders.
    """
    return sha1(rel.as_posix() if rel is not None and len(rel.parts) > 1 else path.name)[:12]


def _relative(path: Path, root: Path | None) -> Path | None:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()) if root is not None else None
    except ValueError:
        return None


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
    articles = parse_document(raw, path.name, doc_id_for(path, _relative(path, root)), folders_of(path, root))
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


def corpus_roots(settings: Settings) -> list[Path]:
    """corpus_dir, then each of `library_dirs`."""
    extra = [Path(p) for p in settings.library_dirs.split(":") if p.strip()]
    return [Path(settings.corpus_dir), *extra]


def iter_documents(settings: Settings) -> Iterator[tuple[Path, list[Article] | IngestError]]:
    """(file, its articles or the error) one file at a time: the whole library never sits in memory.

    Versions are not linked here (that needs every file): for the embedding pass, whose
    passage texts do not depend on it.
    """
    for root in corpus_roots(settings):
        if not root.is_dir():
            yield root, IngestError(root, "corpus folder does not exist")
            continue
        for path in iter_corpus_files(root):
            try:
                yield path, ingest_file(path, settings, root)
            except IngestError as err:
                yield path, err


def count_files(settings: Settings) -> int:
    return sum(len(iter_corpus_files(r)) for r in corpus_roots(settings) if r.is_dir())


def load_corpus(settings: Settings) -> IngestResult:
    """Every supported file in the corpus folders, versions linked; unsupported files are reported, not fatal."""
    result = IngestResult()
    for path, got in iter_documents(settings):
        if isinstance(got, IngestError):
            result.errors.append(got)
        else:
            result.articles.extend(got)
            result.files.append(path)
    result.articles = link_articles(result.articles)
    return result
