"""Link health: find every outside URL the live site links to, check each once, store the result.

Three parts, used by `manage.py check_links` and by the admin's background task:
- `collect_links()` reads live pages (raw StreamField data, rendered Markdown, rich text) and
  returns every outside link with the page and section that uses it;
- `Checker` checks URLs over HTTP: bounded concurrency, a per-host limit, HEAD falling back to
  GET, short connect and read timeouts, a few redirects followed and recorded, and never an
  address inside the network (private, loopback, link-local, cloud metadata) unless
  LINKHEALTH_ALLOWED_NETWORKS lists it: every address a host resolves to is checked, and the
  connection goes to the address that was checked;
- `run_check()` ties them together and writes `LinkCheck`, `LinkUse` and `LinkCheckRun` rows.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from blog import outline
from blog.models import CompilationPage, TopicIndexPage, TopicPostPage
from blog.rendering import markdown_to_html

from .models import BROKEN, LinkCheck, LinkCheckRun, LinkUse, Outcome, runs_dead_before

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_URL_LENGTH = 2000
USER_AGENT = "DjangoAtScale-LinkCheck/1.0 (+link health of the compilation)"
# A running check writes how far it got after this many URLs (the admin report shows it).
PROGRESS_EVERY = 5


# Finding the links ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One outside link on a live page."""

    url: str
    page_id: int
    anchor: str = ""
    section: str = ""
    kind: str = ""
    text: str = ""


class _AnchorParser(HTMLParser):
    """Collects (href, text, current h2 id, current h2 text) from HTML, in document order."""

    def __init__(self, anchor="", section=""):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.anchor, self.section = anchor, section
        self._href = None
        self._text = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.anchor = attrs.get("id") or ""
            self.section = ""
        elif tag == "a" and attrs.get("href"):
            self._href, self._text = attrs["href"], []

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False
            self.anchor = self.anchor or slugify(self.section)
        elif tag == "a" and self._href is not None:
            text = " ".join("".join(self._text).split())
            self.links.append((self._href, text, self.anchor, self.section))
            self._href = None

    def handle_data(self, data):
        if self._in_h2:
            self.section += data
        if self._href is not None:
            self._text.append(data)


def is_outside(url, own_hosts):
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and (parts.hostname.lower() not in own_hosts)
    )


def normalise(url):
    """The URL that is checked: without its #fragment (the same document either way)."""
    return urldefrag(url.strip())[0]


class _Collector:
    def __init__(self, own_hosts):
        self.own_hosts = own_hosts
        self.uses = []

    def add(self, url, page, anchor="", section="", kind="", text=""):
        # Longer than any browser or server accepts, and than LinkCheck.url stores: not a link.
        if not url or len(url) > MAX_URL_LENGTH or not is_outside(url, self.own_hosts):
            return
        use = Use(normalise(url), page.pk, anchor[:120], section[:255], kind, (text or "")[:255])
        if use not in self.uses:
            self.uses.append(use)

    def html(self, html, page, kind, anchor="", section=""):
        parser = _AnchorParser(anchor, section)
        parser.feed(str(html))
        parser.close()
        for href, text, link_anchor, link_section in parser.links:
            self.add(href, page, link_anchor, link_section, kind, text)
        return parser.anchor, parser.section

    def markdown(self, text, page, kind, anchor="", section=""):
        if text:
            return self.html(markdown_to_html(text), page, kind, anchor, section)
        return anchor, section

    def compilation(self, page):
        self.markdown(page.intro, page, "Introduction")
        for section in outline.sections(page.body.raw_data):
            anchor, heading = section.anchor, section.heading
            self.markdown(section.text, page, "Section text", anchor, heading)
            for entry in section.entries:
                if entry.kind == "link":
                    self.add(entry.url, page, anchor, heading, "Entry", entry.title)

    def post(self, page):
        anchor = section = ""
        for block in page.body.raw_data:
            kind, value = block.get("type"), block.get("value")
            if kind == "markdown":
                anchor, section = self.markdown(value, page, "Markdown", anchor, section)
            elif kind == "rich_text":
                anchor, section = self.html(value or "", page, "Rich text", anchor, section)
            elif kind == "note":
                self.html((value or {}).get("text") or "", page, "Note", anchor, section)
            elif kind == "quote":
                self.add((value or {}).get("source_url"), page, anchor, section, "Quote source")
            elif kind == "links":
                heading = (value or {}).get("heading") or "Further reading"
                for link in outline.list_items((value or {}).get("links")):
                    link = link or {}
                    self.add(
                        link.get("url"),
                        page,
                        slugify(heading),
                        heading,
                        "Further reading",
                        link.get("title"),
                    )


def collect_links(page_id=None):
    """Every outside link on live pages (or on one page), with where it is used."""
    own_hosts = {host.lower() for host in Site.objects.values_list("hostname", flat=True)}
    collector = _Collector(own_hosts)
    pages = Page.objects.live()
    if page_id is not None:
        pages = pages.filter(pk=page_id)
    for page in pages.specific().order_by("path"):
        if isinstance(page, CompilationPage):
            collector.compilation(page)
        elif isinstance(page, TopicPostPage):
            collector.post(page)
        elif isinstance(page, TopicIndexPage) or hasattr(page, "intro"):
            collector.markdown(getattr(page, "intro", ""), page, "Introduction")
    return collector.uses


# Checking the links --------------------------------------------------------------------------


@dataclass
class Result:
    url: str
    outcome: str
    status_code: int | None = None
    final_url: str = ""
    redirects: list = field(default_factory=list)
    method: str = ""
    error: str = ""
    response_ms: int | None = None

    @property
    def is_broken(self):
        return self.outcome in BROKEN


class _Failure(Exception):
    def __init__(self, outcome, message):
        super().__init__(message)
        self.outcome, self.message = outcome, message


def refused_address(address):
    """Why an address is no place for the link checker to go (nor for a link readers suggest),
    or ""."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local (cloud metadata)"
    if address.is_private or address.is_reserved or address.is_unspecified:
        return "private"
    if address.is_multicast:
        return "multicast"
    return ""


def _allowed(allowed, host, address):
    for entry in allowed:
        if entry.lower() == host:
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class Checker:
    """Checks URLs over HTTP(S) with bounded concurrency and a per-host limit.

    `mirror` ("http://127.0.0.1:8450") sends every request to that local HTTP server instead of
    the URL's own host, with the original host in the Host header and the scheme in
    X-Forwarded-Proto: an offline run against a local mirror of the site's links.
    """

    def __init__(
        self,
        workers=8,
        per_host=2,
        connect_timeout=3.0,
        read_timeout=10.0,
        max_redirects=5,
        mirror=None,
        allowed_networks=None,
    ):
        self.workers = max(1, workers)
        self.per_host = max(1, per_host)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_redirects = max_redirects
        self.mirror = urlsplit(mirror) if mirror else None
        # Networks and host names that may be inside the network (a test server, a mirror).
        self.allowed = list(
            settings.LINKHEALTH_ALLOWED_NETWORKS if allowed_networks is None else allowed_networks
        )
        if self.mirror is not None:
            # A mirror named on the command line is where the operator chose to send requests.
            self.allowed.append(self.mirror.hostname)
        self._host_slots = defaultdict(lambda: threading.BoundedSemaphore(self.per_host))
        self._lock = threading.Lock()

    @staticmethod
    def host_of(url):
        return (urlsplit(url).hostname or "").lower()

    def _slot(self, host):
        with self._lock:
            return self._host_slots[host]

    def _address(self, host, port):
        """The address to connect to: every address the host resolves to must be outside the
        network, or allowed; refused with a CONNECTION failure otherwise."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        for address in addresses:
            why = refused_address(address)
            if why and not _allowed(self.allowed, host.lower(), address):
                raise _Failure(Outcome.CONNECTION, f"refused: {host} is a {why} address")
        return str(addresses[0])

    def _connection(self, parts):
        if self.mirror is not None:
            host, port, secure = self.mirror.hostname, self.mirror.port or 80, False
        else:
            secure = parts.scheme == "https"
            host, port = parts.hostname, parts.port or (443 if secure else 80)
        address = self._address(host, port)
        # The connect timeout covers the TCP (and TLS) handshake; reads get their own timeout.
        # The socket goes to the address just checked, so a second lookup cannot change it.
        sock = socket.create_connection((address, port), timeout=self.connect_timeout)
        if secure:
            conn = http.client.HTTPSConnection(host, port, timeout=self.connect_timeout)
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
        conn.sock = sock
        conn.sock.settimeout(self.read_timeout)
        return conn

    def _request(self, method, url):
        """(status, Location header) of one request, holding one of the host's slots."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {"Host": parts.netloc, "User-Agent": USER_AGENT, "Accept": "*/*"}
        if self.mirror is not None:
            headers["X-Forwarded-Proto"] = parts.scheme
        stage = "connect"
        with self._slot((parts.hostname or "").lower()):
            try:
                conn = self._connection(parts)
                stage = "read"
                try:
                    conn.request(method, path, headers=headers)
                    response = conn.getresponse()
                    status, location = response.status, response.getheader("Location")
                    response.close()
                finally:
                    conn.close()
            except socket.gaierror:
                raise _Failure(Outcome.DNS, f"host not found: {parts.hostname}") from None
            except TimeoutError:
                limit = self.connect_timeout if stage == "connect" else self.read_timeout
                raise _Failure(Outcome.TIMEOUT, f"timed out after {limit:g}s ({stage})") from None
            except ConnectionRefusedError:
                raise _Failure(Outcome.CONNECTION, "connection refused") from None
            except ssl.SSLError as error:
                raise _Failure(Outcome.CONNECTION, f"TLS error: {error.reason}") from None
            except (OSError, http.client.HTTPException) as error:
                message = str(error) or type(error).__name__
                raise _Failure(Outcome.CONNECTION, f"connection failed: {message}") from None
        return status, location

    def _fetch(self, url):
        """HEAD, then GET when HEAD is refused or fails (some servers do not implement it)."""
        try:
            status, location = self._request("HEAD", url)
            if status < 400:
                return status, location, "HEAD"
        except _Failure as failure:
            if failure.outcome != Outcome.CONNECTION or failure.message == "connection refused":
                raise
        status, location = self._request("GET", url)
        return status, location, "GET"

    def check(self, url):
        started = time.monotonic()
        redirects, current, status, method = [], url, None, ""
        try:
            for _hop in range(self.max_redirects + 1):
                status, location, method = self._fetch(current)
                if status not in REDIRECT_STATUSES or not location:
                    break
                current = urljoin(current, location)
                redirects.append({"status": status, "url": current})
                if urlsplit(current).scheme not in ("http", "https"):
                    break
            else:
                raise _Failure(
                    Outcome.TOO_MANY_REDIRECTS, f"more than {self.max_redirects} redirects"
                )
        except _Failure as failure:
            return Result(
                url=url,
                outcome=failure.outcome,
                status_code=status,
                final_url=current if redirects else "",
                redirects=redirects,
                method=method,
                error=failure.message,
                response_ms=round((time.monotonic() - started) * 1000),
            )
        if status >= 500:
            outcome = Outcome.SERVER_ERROR
        elif status >= 400:
            outcome = Outcome.CLIENT_ERROR
        else:
            outcome = Outcome.REDIRECT if redirects else Outcome.OK
        return Result(
            url=url,
            outcome=outcome,
            status_code=status,
            final_url=current if redirects else "",
            redirects=redirects,
            method=method,
            response_ms=round((time.monotonic() - started) * 1000),
        )

    def check_all(self, urls, deadline=None):
        """Yield a Result per URL as each finishes; none is started after `deadline`
        (time.monotonic()), so a run ends at most one check's timeouts later.

        The dispatcher keeps at most `workers` checks in flight and at most `per_host` per host,
        taking hosts in turn so one big host does not hold up the others. Redirect hops to
        another host wait for a slot of that host too.
        """
        queues = defaultdict(deque)
        for url in dict.fromkeys(urls):
            queues[self.host_of(url)].append(url)
        active = Counter()
        in_flight = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="linkcheck") as pool:

            def fill():
                if deadline is not None and time.monotonic() >= deadline:
                    queues.clear()
                    return
                progress = True
                while progress and len(in_flight) < self.workers:
                    progress = False
                    for host in list(queues):
                        if len(in_flight) >= self.workers:
                            break
                        if queues[host] and active[host] < self.per_host:
                            url = queues[host].popleft()
                            in_flight[pool.submit(self.check, url)] = host
                            active[host] += 1
                            progress = True
                        if not queues[host]:
                            del queues[host]

            fill()
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    active[in_flight.pop(future)] -= 1
                    yield future.result()
                fill()


# Running a check ------------------------------------------------------------------------------


@dataclass
class Summary:
    links: int = 0  # distinct URLs found on live pages
    uses: int = 0
    to_check: list = field(default_factory=list)
    results: list = field(default_factory=list)
    seconds: float = 0.0
    run: LinkCheckRun | None = None

    @property
    def counts(self):
        return Counter(result.outcome for result in self.results)

    @property
    def broken(self):
        return [result for result in self.results if result.is_broken]


def _store_uses(uses, page_id):
    """Make the stored uses match what the pages link to now; returns {url: LinkCheck}."""
    urls = list(dict.fromkeys(use.url for use in uses))
    existing = LinkCheck.objects.in_bulk(urls, field_name="url")
    LinkCheck.objects.bulk_create(
        [LinkCheck(url=url, host=Checker.host_of(url)) for url in urls if url not in existing],
        ignore_conflicts=True,
    )
    links = LinkCheck.objects.in_bulk(urls, field_name="url")
    stale = LinkUse.objects.all() if page_id is None else LinkUse.objects.filter(page_id=page_id)
    stale.delete()
    LinkUse.objects.bulk_create(
        [
            LinkUse(
                link=links[use.url],
                page_id=use.page_id,
                anchor=use.anchor,
                section=use.section,
                kind=use.kind,
                text=use.text,
            )
            for use in uses
        ]
    )
    if page_id is None:
        # A URL no live page links to any more is no longer the site's concern.
        LinkCheck.objects.filter(uses__isnull=True).delete()
    return links


def _save(link, result):
    link.outcome = result.outcome
    link.status_code = result.status_code
    link.final_url = result.final_url
    link.redirects = result.redirects
    link.method = result.method
    link.error = result.error
    link.response_ms = result.response_ms
    link.checked_at = timezone.now()
    link.save(
        update_fields=[
            "outcome",
            "status_code",
            "final_url",
            "redirects",
            "method",
            "error",
            "response_ms",
            "checked_at",
        ]
    )


def run_check(
    checker=None,
    older_than_days=None,
    page_id=None,
    dry_run=False,
    trigger="command",
    on_start=None,
    on_result=None,
):
    """Collect, check and store; returns a Summary. `on_result(result, done, total)` reports
    progress. A dry run writes nothing and checks nothing: it says what would be checked."""
    checker = checker or Checker()
    started, clock = timezone.now(), time.monotonic()
    uses = collect_links(page_id)
    urls = list(dict.fromkeys(use.url for use in uses))
    summary = Summary(links=len(urls), uses=len(uses))
    if older_than_days is not None:
        cutoff = timezone.now() - timedelta(days=older_than_days)
        fresh = set(
            LinkCheck.objects.filter(url__in=urls, checked_at__gte=cutoff).values_list(
                "url", flat=True
            )
        )
        urls = [url for url in urls if url not in fresh]
    summary.to_check = urls
    if dry_run:
        return summary

    run = start_run(started, trigger, total=len(urls))
    try:
        with transaction.atomic():
            links = _store_uses(uses, page_id)
        if on_start:
            on_start(len(urls))
        deadline = clock + settings.LINKHEALTH_MAX_RUN_SECONDS
        for done, result in enumerate(checker.check_all(urls, deadline=deadline), start=1):
            _save(links[result.url], result)
            summary.results.append(result)
            if on_result:
                on_result(result, done, len(urls))
            if done % PROGRESS_EVERY == 0:
                LinkCheckRun.objects.filter(pk=run.pk).update(checked=done)
    finally:
        summary.seconds = time.monotonic() - clock
        run.finished_at = timezone.now()
        run.running = None
        run.checked = len(summary.results)
        run.broken = len(summary.broken)
        run.counts = dict(summary.counts)
        run.save()
    summary.run = run
    return summary


class RunInProgress(Exception):
    """Another check is running; one at a time."""


def start_run(started, trigger, total=0):
    """The LinkCheckRun of a new run, or RunInProgress while another one runs. Only one row
    can be `running` (a unique constraint), so two starts at once cannot both go ahead; a run
    that died without finishing stops counting after twice the longest a run may take."""
    LinkCheckRun.objects.filter(running=True, started_at__lt=runs_dead_before()).update(
        running=None
    )
    try:
        with transaction.atomic():
            return LinkCheckRun.objects.create(
                started_at=started, trigger=trigger, total=total, running=True
            )
    except IntegrityError:
        raise RunInProgress from None


def pages_using(links):
    """{link id: [LinkUse with .page]} for a list of LinkCheck rows, in one query."""
    found = defaultdict(list)
    uses = LinkUse.objects.filter(link__in=links).select_related("page").order_by("page__path")
    for use in uses:
        found[use.link_id].append(use)
    return found
