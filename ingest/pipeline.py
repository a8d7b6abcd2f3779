"""Files in, records out: load -> clean -> split -> tag (offers, conditions), one bad file never stops the rest."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.authorities import in_charge, with_authority
from ingest.clean import compact
from ingest.conditions import conditions_for
from ingest.document import parse_document
from ingest.errors import IngestError
from ingest.injection import flag_article, flag_claims, without_suspects
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
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats): skipped

    @property
    def notes(self) -> list[str]:
        """One line per duplicate and per flagged article, for the ingest and refresh reports."""
        from ingest.injection import describe

        lines = [
            f"duplicate (indexed once): {dup} has the same text as {first}" for dup, first in self.duplicates
        ]
        return lines + [f"flagged: {a.label}: {d}" for a in self.articles for d in describe(a)]


def source_name(path: Path, root: Path | str | None) -> str:
    """The file's path inside the corpus folder ('sub/a.txt'); its name when it lies outside.

    >>> source_name(Path("/c/a.txt"), "/c"), source_name(Path("/c/x/a.txt"), "/c"), source_name(Path("/o/a.txt"), "/c")
    ('a.txt', 'x/a.txt', 'a.txt')
    """
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix() if root else Path(path).name
    except ValueError:
        return Path(path).name


def doc_id_for(path: Path, root: Path | str | None = None) -> str:
    """Stable per path inside the corpus: an edited file keeps its id, so unchanged articles keep theirs.

    A file at the top of the corpus keeps the id it always had (its path there is its name);
    two files with one name in different folders get different ids.
    """
    return sha1(source_name(path, root))[:12]


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
    base = root if root is not None else settings.corpus_dir
    source = source_name(path, base)
    articles = parse_document(raw, source, doc_id_for(path, base), folders_of(path, root))
    if not articles:
        raise IngestError(
            path, "no text left after cleaning (only a title, history lines, page numbers or markup?)"
        )
    articles = [flag_article(a) for a in articles]  # text addressed to a model: flagged, never obeyed
    clean = [without_suspects(a) for a in articles]
    articles = with_authority(articles, in_charge(clean))
    return [_with_tags(a, c) for a, c in zip(articles, clean, strict=True)]


def _with_tags(article: Article, clean: Article) -> Article:
    """Tags and matcher conditions read from the text without flagged sentences."""
    return dataclasses.replace(article, tags=tags_for(clean) + conditions_for(clean))


def _text_key(articles: list[Article]) -> str:
    """Same text, whatever the file name, format or line breaks."""
    return sha1(compact("".join(a.text for a in articles)))


def ingest_paths(paths: Iterable[Path | str], settings: Settings, root: Path | None = None) -> IngestResult:
    """Ingest each file, then link the versions of each title; a bad file becomes one error line
    and the others go on; a file repeating another's text is skipped (and reported). `root` is the
    corpus folder (its sub-folders are evidence of kind and place; ids come from paths inside it)."""
    return collect((Path(p), _ingest_or_error(Path(p), settings, root)) for p in paths)


def _ingest_or_error(path: Path, settings: Settings, root: Path | None) -> list[Article] | IngestError:
    try:
        return ingest_file(path, settings, root)
    except IngestError as err:
        return err


def collect(documents: Iterable[tuple[Path, list[Article] | IngestError]]) -> IngestResult:
    """(file, its articles or the error) -> one result: errors listed, repeated texts skipped and
    reported, versions linked, promises to everyone checked against the whole library."""
    result = IngestResult()
    seen: dict[str, str] = {}
    for path, got in documents:
        if isinstance(got, IngestError):
            result.errors.append(got)
            continue
        key, name = _text_key(got), got[0].doc.source
        if key in seen:
            result.duplicates.append((name, seen[key]))
            continue
        seen[key] = name
        result.articles.extend(got)
        result.files.append(path)
    result.articles = link_articles(result.articles)
    result.articles = flag_claims(result.articles)  # a promise to everyone is checked against the library
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
            yield path, _ingest_or_error(path, settings, root)


def count_files(settings: Settings) -> int:
    return sum(len(iter_corpus_files(r)) for r in corpus_roots(settings) if r.is_dir())


def load_corpus(settings: Settings) -> IngestResult:
    """Every supported file in the corpus folders, versions linked; unsupported files are reported, not fatal."""
    return collect(iter_documents(settings))


def load_articles(settings: Settings) -> list[Article]:
    """`load_corpus`'s articles, each file it could not read reported on stderr (the command-line tools')."""
    result = load_corpus(settings)
    for err in result.errors:
        print(f"ingest: {err}", file=sys.stderr)
    return result.articles
