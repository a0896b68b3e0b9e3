"""Turn ingest sources (files, folders, JSONL dumps, RSS/Atom feeds, URLs) into articles.

`read_sources(sources)` yields `Item`s (an article's text and metadata) and `Failure`s (an input
that could not be read, named by file, line or URL with the reason). A failure never stops the
stream: the next input is read as usual.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union
from urllib.parse import urlparse

from eventwire.pipeline import ExtractError, check_published

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

DEFAULT_TIMEOUT = 20.0            # seconds per URL
DEFAULT_MAX_BYTES = 5_000_000     # size cap of one fetched page or feed
SHORT_SUMMARY = 200               # feed entries with less text than this are fetched from their link


@dataclass
class Item:
    """One article to extract."""

    origin: str                      # where it came from, for messages: path, path:line, URL
    text: str
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None

    def meta(self) -> dict:
        return {"title": self.title, "published": self.published, "source": self.source, "url": self.url}


@dataclass
class Failure:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


Result = Union[Item, Failure]


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason."""


@dataclass
class Options:
    published: Optional[str] = None          # default publication date for inputs without one
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def check_sources(sources: Iterable[str]) -> Optional[str]:
    """The first source argument that is neither a URL nor an existing path, as a message."""
    for source in sources:
        if not is_url(source) and not Path(source).exists():
            return f"{source}: no such file, folder or URL"
    return None


def read_sources(sources: Iterable[str], options: Optional[Options] = None) -> Iterator[Result]:
    options = options or Options()
    for source in sources:
        if is_url(source):
            yield from read_url(source, options)
            continue
        path = Path(source)
        if path.is_dir():
            for child in walk(path):
                yield from read_file(child, options)
        elif path.exists():
            yield from read_file(path, options)
        else:
            yield Failure(source, "no such file, folder or URL")


def walk(folder: Path) -> list[Path]:
    """Article files under `folder`, recursively, in name order; hidden files are left out."""
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") for p in parts):
            continue
        if path.is_file() and path.suffix.lower() in KNOWN_SUFFIXES:
            found.append(path)
    return sorted(found)


# -- files ---------------------------------------------------------------------------------------

def read_file(path: Path, options: Options) -> Iterator[Result]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(name, f"cannot read: {exc.strerror}")
        return
    kind = _kind(path.suffix.lower(), data)
    if kind == "jsonl":
        yield from read_jsonl(data, name, options)
        return
    if kind == "feed":
        yield from read_feed(data, name, options)
        return
    text, reason = decode(data)
    if text is None:
        yield Failure(name, reason)
    elif kind == "html":
        yield html_item(text, name, options)
    else:
        yield text_item(text, name, options)


def _kind(suffix: str, data: bytes) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return sniff(data)


def sniff(data: bytes) -> str:
    """'feed', 'html' or 'text' from the first bytes of a document."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "html"
    return "text"


def decode(data: bytes) -> tuple[Optional[str], str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (undecodable byte at offset {exc.start})"
    if not text.strip():
        return None, "the file is empty"
    return text, ""


def text_item(text: str, origin: str, options: Options, **meta) -> Result:
    text = text.strip()
    if not text:
        return Failure(origin, "the article is empty")
    meta.setdefault("published", options.published)
    return Item(origin=origin, text=text, **meta)


def read_jsonl(data: bytes, name: str, options: Options) -> Iterator[Result]:
    """One article per line: {"text": ..., "title", "published", "url", "source"}."""
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        origin = f"{name}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield Failure(origin, f"not UTF-8 text (undecodable byte at column {exc.start + 1})")
            continue
        except json.JSONDecodeError as exc:
            yield Failure(origin, f"bad JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield Failure(origin, "expected a JSON object with a `text` field")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield Failure(origin, "text: missing or empty")
            continue
        meta = {}
        for key in ("title", "url", "source"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                yield Failure(origin, f"{key}: expected a string")
                break
            meta[key] = value
        else:
            try:
                meta["published"] = check_published(record.get("published")) or options.published
            except ExtractError as exc:
                yield Failure(origin, str(exc))
                continue
            yield Item(origin=origin, text=text.strip(), **meta)


# -- HTML --------------------------------------------------------------------------------------

def html_item(html: str, origin: str, options: Options, url: Optional[str] = None, source: Optional[str] = None) -> Result:
    """The main text and metadata of an HTML page, through trafilatura."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            include_tables=False)
        if found is not None and not isinstance(found, dict):
            found = found.as_dict()
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        return Failure(origin, f"cannot parse the HTML ({type(exc).__name__})")
    text = ((found or {}).get("text") or "").strip()
    title = (found or {}).get("title") or None
    if title and text.startswith(title + "\n"):  # the headline repeated as the first line
        text = text[len(title) + 1:].lstrip()
    if not text:
        return Failure(origin, "no article text found in the HTML")
    try:
        published = check_published((found.get("date") or "")[:10]) or options.published
    except ExtractError:
        published = options.published
    site = found.get("sitename") or source or (urlparse(url).hostname if url else None)
    return Item(origin=origin, text=text, title=title, published=published,
                source=site, url=url or found.get("url") or None)


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's summary or content)."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return ""
    for node in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
        node.tail = "\n" + (node.tail or "")  # block ends become line breaks
    blocks = [" ".join(line.split()) for line in root.text_content().splitlines()]
    blocks = [line for line in blocks if line]
    return "\n".join(blocks)


# -- feeds -------------------------------------------------------------------------------------

def read_feed(data: bytes, name: str, options: Options) -> Iterator[Result]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception") or "not a feed").splitlines()[0]
            yield Failure(name, f"not a readable RSS/Atom feed ({reason})")
        else:
            yield Failure(name, "the feed has no entries")
        return
    outlet = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        yield feed_entry(entry, f"{name} entry {number}", outlet, options)


def _entry_date(entry) -> Optional[str]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def feed_entry(entry, origin: str, outlet: Optional[str], options: Options) -> Result:
    published = _entry_date(entry) or options.published
    link = entry.get("link")
    title = entry.get("title") or None
    body = ""
    for content in entry.get("content") or []:
        body = fragment_text(content.get("value") or "")
        if body:
            break
    if not body:
        body = fragment_text(entry.get("summary") or "")
    if len(body) < SHORT_SUMMARY and link and is_url(link):
        fetched = next(iter(read_url(link, Options(published, options.timeout, options.max_bytes), outlet)))
        if isinstance(fetched, Item):
            fetched.origin = f"{origin} ({link})"
            fetched.title = title or fetched.title
            fetched.published = _entry_date(entry) or fetched.published
            fetched.source = outlet or fetched.source
            return fetched
        if not body:
            return Failure(f"{origin} ({link})", fetched.reason)
    if not body:
        return Failure(origin, "the entry has no text and no link")
    return Item(origin=origin, text=body, title=title, published=published, source=outlet, url=link)


# -- URLs --------------------------------------------------------------------------------------

def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str, str]:
    """(body, content type, final URL) of `url`; FetchError with the reason when it fails."""
    import httpx

    headers = {"User-Agent": "eventwire/0.1 (+offline event extraction)"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"larger than the {max_bytes} byte cap ({declared} bytes)")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"larger than the {max_bytes} byte cap")
                    chunks.append(chunk)
                return b"".join(chunks), response.headers.get("content-type", ""), str(response.url)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"cannot fetch: {reason}") from None


def read_url(url: str, options: Options, source: Optional[str] = None) -> Iterator[Result]:
    try:
        data, content_type, final_url = fetch(url, options.timeout, options.max_bytes)
    except FetchError as exc:
        yield Failure(url, str(exc))
        return
    content_type = content_type.lower()
    if any(k in content_type for k in ("rss", "atom")) or (("xml" in content_type or not content_type)
                                                            and sniff(data) == "feed"):
        yield from read_feed(data, url, options)
        return
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        text = data.decode(charset, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        yield Failure(url, "the page is empty")
    elif "html" in content_type or (not content_type.startswith("text/plain") and sniff(data) == "html"):
        yield html_item(text, url, options, url=final_url, source=source)
    else:
        yield text_item(text, url, options, url=final_url, source=source or urlparse(final_url).hostname)
