//! Lazy pagination: page number, offset, marker (next link or last item's id), page token, next link in the body
//! and RFC 8288 `Link` headers.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;
use url::Url;

use super::client::Client;
use super::decode::decode_json;
use super::error::{Error, ErrorBody, PaginationError};
use super::link::next_link;
use super::request::Request;
use super::send::Raw;

/// How a listing hands out its next page.
///
/// Every style stops when the page says [`PageNav::has_more`] is `Some(false)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaginationStyle {
    /// `page_param` = 1, 2, 3 … while the page says there is more: a next link ([`PageNav::next`], whose own
    /// `page_param` is used when it has one), [`PageNav::has_more`], a page number below [`PageNav::total_pages`],
    /// or fewer items seen than [`PageNav::total_items`]. With none of them, the page is the last. A page that repeats
    /// the one before it byte for byte (a server that ignores the page number) ends the listing with
    /// [`PaginationError::RepeatedPage`].
    PageNumber {
        /// Query parameter carrying the page number.
        page_param: &'static str,
        /// The number of the first page, when the request does not name one: 1, or 0 for zero-based pages.
        first_page: u64,
    },
    /// `offset_param` = the number of items already read (starting from the request's own offset, or 0). The
    /// listing ends on an empty page; otherwise [`PageNav::has_more`] decides, then [`PageNav::total_items`], then
    /// a short page: shorter than the request's `limit_param` and than the longest page before it (a server may
    /// cap the page size below the limit asked for). A page that repeats the one before it byte for byte ends the
    /// listing with [`PaginationError::RepeatedPage`].
    Offset {
        /// Query parameter carrying the offset, in items.
        offset_param: &'static str,
        /// Query parameter carrying the page size, when the operation has one.
        limit_param: Option<&'static str>,
    },
    /// Follows [`PageNav::next`] as a URL; without one, sends [`PageNav::last_id`] (the last item's id) as
    /// `marker_param`. Without [`PageNav::has_more`], an empty page or a short one (as for `Offset`) is the last.
    Marker {
        /// Query parameter carrying the marker.
        marker_param: &'static str,
        /// Query parameter carrying the page size, when the operation has one.
        limit_param: Option<&'static str>,
    },
    /// Sends [`PageNav::next`], a cursor read from the page, as `token_param` while it is set and non-empty.
    PageToken {
        /// Query parameter carrying the token.
        token_param: &'static str,
    },
    /// Follows [`PageNav::next`] as the URL of the next page (a link in the body) while it is set and non-empty.
    NextLink,
    /// Follows the `rel="next"` link of the `Link` response header (RFC 8288).
    LinkHeader,
}

/// What generated code reads from a decoded page. Fields the page does not carry stay at their default.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageNav {
    /// The next link or cursor. `None` or empty: no next page by this signal.
    pub next: Option<String>,
    /// The id of the page's last item (a marker); `None` when the page is empty.
    pub last_id: Option<String>,
    /// The page's own "there is more" flag (`has_more`, `has_next_page`, …).
    pub has_more: Option<bool>,
    /// How many items the whole listing holds.
    pub total_items: Option<u64>,
    /// How many pages the whole listing holds.
    pub total_pages: Option<u64>,
    /// How many items this page holds.
    pub items: usize,
}

struct Source<T, I> {
    client: Client,
    request: Request,
    style: PaginationStyle,
    nav: fn(&T) -> PageNav,
    items: fn(T) -> Vec<I>,
}

/// A paginated listing, streamed lazily: one page in memory at a time, fetched when the stream is polled.
///
/// A cursor (page number, marker, token or link) that comes back a second time ends the stream with
/// [`PaginationError::RepeatedCursor`] instead of looping; [`Paginator::max_pages`] and
/// [`Paginator::max_items`] end it cleanly.
pub struct Paginator<T, I, E> {
    source: Result<Source<T, I>, Option<Error<E>>>,
    max_pages: Option<usize>,
    max_items: Option<usize>,
}

impl<T, I, E> fmt::Debug for Paginator<T, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Paginator");
        match &self.source {
            Ok(source) => s.field("style", &source.style).field("request", &source.request),
            Err(_) => s.field("failed", &true),
        };
        s.field("max_pages", &self.max_pages).field("max_items", &self.max_items).finish()
    }
}

impl<T, I, E> Paginator<T, I, E> {
    /// A listing that starts with `request` and pages in `style`: `nav` reads what a decoded page says about the next
    /// one, `items` takes its items. Generated operations make theirs through [`Paginated`](super::Paginated); this
    /// serves requests made by hand.
    pub fn new(
        client: Client,
        request: Request,
        style: PaginationStyle,
        nav: fn(&T) -> PageNav,
        items: fn(T) -> Vec<I>,
    ) -> Self {
        Paginator { source: Ok(Source { client, request, style, nav, items }), max_pages: None, max_items: None }
    }

    /// A paginator whose streams yield `error` once (e.g. the request failed validation).
    pub fn failed(error: impl Into<Error<E>>) -> Self {
        Paginator { source: Err(Some(error.into())), max_pages: None, max_items: None }
    }
}

impl<T, I, E> Paginator<T, I, E>
where
    T: DeserializeOwned + Send + 'static,
    I: Send + 'static,
    E: ErrorBody,
{
    /// Stops after `n` pages (no error).
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// Stops after `n` items (no error; no page is fetched past the one holding the last item).
    /// Applies to [`Paginator::items`] only.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// The pages. An error ends the stream.
    pub fn pages(self) -> BoxStream<'static, Result<T, Error<E>>> {
        match self.source {
            Err(error) => stream::iter(error.map(Err)).boxed(),
            Ok(source) => pages(PageState::new(source, self.max_pages)),
        }
    }

    /// The items of every page. An error ends the stream.
    pub fn items(self) -> BoxStream<'static, Result<I, Error<E>>> {
        let source = match self.source {
            Err(error) => return stream::iter(error.map(Err)).boxed(),
            Ok(source) => source,
        };
        let take = source.items;
        let items = pages(PageState::new(source, self.max_pages)).flat_map(move |page| match page {
            Ok(page) => stream::iter(take(page).into_iter().map(Ok)).left_stream(),
            Err(error) => stream::iter(Some(Err(error))).right_stream(),
        });
        match self.max_items {
            Some(n) => items.take(n).boxed(),
            None => items.boxed(),
        }
    }
}

fn pages<T, E>(state: PageState<T, E>) -> BoxStream<'static, Result<T, Error<E>>>
where
    T: DeserializeOwned + Send + 'static,
    E: ErrorBody,
{
    stream::unfold(state, |mut state| async move {
        let page = state.next_page().await?;
        Some((page, state))
    })
    .boxed()
}

/// Kinds of cursor, hashed apart.
#[derive(Hash)]
enum Cursor<'a> {
    Page(u64),
    Offset(u64),
    Marker(&'a str),
    Token(&'a str),
    Url(&'a str),
}

fn cursor_hash(cursor: Cursor<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    cursor.hash(&mut hasher);
    hasher.finish()
}

struct PageState<T, E> {
    client: Client,
    original: Request,
    style: PaginationStyle,
    nav: fn(&T) -> PageNav,
    next: Option<Request>,
    /// An error found while preparing the next page, reported after the current page.
    pending: Option<Error<E>>,
    /// Hashes of the cursors followed so far (flat memory).
    seen: HashSet<u64>,
    fetched: usize,
    max_pages: Option<usize>,
    /// The page number (page-number style) or offset (offset style) of the page last requested.
    position: u64,
    /// Items read so far, for [`PageNav::total_items`].
    items_seen: u64,
    /// The most items a page has held so far, the page size the server really uses.
    longest_page: usize,
    /// The hash of the previous page's body, to catch a server that ignores the position it is sent.
    previous_body: Option<u64>,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> PageState<T, E>
where
    T: DeserializeOwned,
    E: ErrorBody,
{
    fn new<I>(source: Source<T, I>, max_pages: Option<usize>) -> Self {
        let Source { client, request, style, nav, .. } = source;
        let mut seen = HashSet::new();
        let number = |param: &str| request.query_value(param).and_then(|v| v.trim().parse::<u64>().ok());
        let mut position = 0;
        match style {
            PaginationStyle::PageNumber { page_param, first_page } => {
                position = number(page_param).unwrap_or(first_page);
                seen.insert(cursor_hash(Cursor::Page(position)));
            }
            PaginationStyle::Offset { offset_param, .. } => {
                position = number(offset_param).unwrap_or(0);
                seen.insert(cursor_hash(Cursor::Offset(position)));
            }
            PaginationStyle::Marker { marker_param, .. } => {
                if let Some(marker) = request.query_value(marker_param) {
                    seen.insert(cursor_hash(Cursor::Marker(&marker)));
                }
                if let Ok(url) = client.url_for(&request) {
                    seen.insert(cursor_hash(Cursor::Url(url.as_str())));
                }
            }
            PaginationStyle::PageToken { token_param } => {
                if let Some(token) = request.query_value(token_param).filter(|t| !t.is_empty()) {
                    seen.insert(cursor_hash(Cursor::Token(&token)));
                }
            }
            PaginationStyle::NextLink | PaginationStyle::LinkHeader => {
                if let Ok(url) = client.url_for(&request) {
                    seen.insert(cursor_hash(Cursor::Url(url.as_str())));
                }
            }
        }
        PageState {
            client,
            next: Some(request.clone()),
            original: request,
            style,
            nav,
            pending: None,
            seen,
            fetched: 0,
            max_pages,
            position,
            items_seen: 0,
            longest_page: 0,
            previous_body: None,
            _error: PhantomData,
        }
    }

    async fn next_page(&mut self) -> Option<Result<T, Error<E>>> {
        if self.max_pages.is_some_and(|max| self.fetched >= max) {
            return None;
        }
        if let Some(error) = self.pending.take() {
            self.next = None;
            return Some(Err(error));
        }
        let request = self.next.take()?;
        let raw = match self.client.execute_checked::<E>(&request).await {
            Ok(raw) => raw,
            Err(error) => return Some(Err(error)),
        };
        let page: T = match decode_json(raw.status, &raw.body) {
            Ok(page) => page,
            Err(error) => return Some(Err(Error::Decode(Box::new(error)))),
        };
        self.fetched += 1;
        match self.advance(&page, &raw) {
            Ok(next) => self.next = next,
            Err(error) => self.pending = Some(Error::Pagination(error)),
        }
        Some(Ok(page))
    }

    /// Whether a page of `items` is short, so the last: shorter than the page size the request asked for in the
    /// style's `limit_param` and than the longest page before it (a server may serve fewer than asked on every page).
    fn short_page(&self, items: usize) -> bool {
        let limit_param = match self.style {
            PaginationStyle::Offset { limit_param, .. } | PaginationStyle::Marker { limit_param, .. } => limit_param,
            _ => None,
        };
        let limit = limit_param.and_then(|param| self.original.query_value(param)?.trim().parse::<u64>().ok());
        limit.is_some_and(|limit| (items as u64) < limit) && items < self.longest_page
    }

    /// The request for the page after `page`, or `None` when it was the last.
    fn advance(&mut self, page: &T, raw: &Raw) -> Result<Option<Request>, PaginationError> {
        let next_index = self.fetched + 1;
        let repeated =
            move |cursor: &str| PaginationError::RepeatedCursor { cursor: cursor.to_owned(), page: next_index };
        if self.style == PaginationStyle::LinkHeader {
            return self.follow_link_header(raw, repeated);
        }
        let nav = (self.nav)(page);
        self.items_seen = self.items_seen.saturating_add(nav.items as u64);
        let short = self.short_page(nav.items);
        self.longest_page = self.longest_page.max(nav.items);
        let repeated_page = if matches!(self.style, PaginationStyle::PageNumber { .. } | PaginationStyle::Offset { .. })
        {
            // The position is computed here, not read from the page: only the page itself shows it was ignored.
            let mut hasher = DefaultHasher::new();
            raw.body.hash(&mut hasher);
            let body = hasher.finish();
            self.previous_body.replace(body) == Some(body)
        } else {
            false
        };
        match self.next_request(nav, short, repeated)? {
            Some(_) if repeated_page => Err(PaginationError::RepeatedPage { page: self.fetched }),
            next => Ok(next),
        }
    }

    /// The request the page's `nav` leads to, if any.
    fn next_request(
        &mut self,
        nav: PageNav,
        short: bool,
        repeated: impl Fn(&str) -> PaginationError,
    ) -> Result<Option<Request>, PaginationError> {
        let base = self.client.base_url();
        if nav.has_more == Some(false) {
            return Ok(None);
        }
        let next = nav.next.filter(|n| !n.is_empty());
        match self.style {
            PaginationStyle::PageNumber { page_param, first_page } => {
                let pages_read = self.position.saturating_add(1).saturating_sub(first_page);
                let more = next.is_some()
                    || nav.has_more == Some(true)
                    || nav.total_pages.is_some_and(|total| pages_read < total)
                    || (nav.items > 0 && nav.total_items.is_some_and(|total| self.items_seen < total));
                if !more {
                    return Ok(None);
                }
                let linked = next.as_deref().and_then(|next| page_from_link(base, next, page_param));
                let number = linked.unwrap_or(self.position.saturating_add(1));
                if !self.seen.insert(cursor_hash(Cursor::Page(number))) {
                    return Err(repeated(&number.to_string()));
                }
                self.position = number;
                let mut request = self.original.clone();
                request.set_query(page_param, number);
                Ok(Some(request))
            }
            PaginationStyle::Offset { offset_param, .. } => {
                if nav.items == 0 {
                    return Ok(None);
                }
                let offset = self.position.saturating_add(nav.items as u64);
                let more = match (nav.has_more, nav.total_items) {
                    (Some(more), _) => more,
                    (None, Some(total)) => offset < total,
                    (None, None) => !short,
                };
                if !more {
                    return Ok(None);
                }
                if !self.seen.insert(cursor_hash(Cursor::Offset(offset))) {
                    return Err(repeated(&offset.to_string()));
                }
                self.position = offset;
                let mut request = self.original.clone();
                request.set_query(offset_param, offset);
                Ok(Some(request))
            }
            PaginationStyle::Marker { marker_param, .. } => {
                if let Some(next) = next {
                    let url = resolve_next(base, &next)?;
                    if !self.seen.insert(cursor_hash(Cursor::Url(url.as_str()))) {
                        return Err(repeated(&next));
                    }
                    return Ok(Some(self.original.with_url(url)));
                }
                let Some(marker) = nav.last_id.filter(|m| !m.is_empty()) else { return Ok(None) };
                if nav.has_more.is_none() && short {
                    return Ok(None);
                }
                if !self.seen.insert(cursor_hash(Cursor::Marker(&marker))) {
                    return Err(repeated(&marker));
                }
                let mut request = self.original.clone();
                request.set_query(marker_param, &marker);
                Ok(Some(request))
            }
            PaginationStyle::PageToken { token_param } => {
                let Some(token) = next else { return Ok(None) };
                if !self.seen.insert(cursor_hash(Cursor::Token(&token))) {
                    return Err(repeated(&token));
                }
                let mut request = self.original.clone();
                request.set_query(token_param, &token);
                Ok(Some(request))
            }
            PaginationStyle::NextLink => {
                let Some(next) = next else { return Ok(None) };
                let url = resolve_next(base, &next)?;
                if !self.seen.insert(cursor_hash(Cursor::Url(url.as_str()))) {
                    return Err(repeated(&next));
                }
                Ok(Some(self.original.with_url(url)))
            }
            PaginationStyle::LinkHeader => Ok(None),
        }
    }

    /// The request for the `rel="next"` link of the `Link` header, or `None` when there is none.
    fn follow_link_header(
        &mut self,
        raw: &Raw,
        repeated: impl Fn(&str) -> PaginationError,
    ) -> Result<Option<Request>, PaginationError> {
        let base = self.client.base_url();
        let Some(link) = next_link(&raw.headers) else { return Ok(None) };
        let invalid = || PaginationError::InvalidNextLink { link: link.clone() };
        let text = link.trim();
        // A path-absolute link is relative to the service root, as in a body (a path prefix in front of the
        // service is not in it); any other is resolved against the response's URL (RFC 8288 §3.2).
        let url = if text.starts_with('/') && !text.starts_with("//") {
            resolve_next(base, text)?
        } else {
            raw.url.join(text).map_err(|_| invalid())?
        };
        if url.origin() != base.origin() {
            return Err(invalid());
        }
        if !self.seen.insert(cursor_hash(Cursor::Url(url.as_str()))) {
            return Err(repeated(&link));
        }
        Ok(Some(self.original.with_url(url)))
    }
}

/// The page number carried as `page_param` by a (possibly relative) next link.
fn page_from_link(base: &Url, next: &str, page_param: &str) -> Option<u64> {
    let url = Url::options().base_url(Some(base)).parse(next.trim()).ok()?;
    let value = url.query_pairs().find(|(name, _)| name == page_param)?.1;
    value.trim().parse().ok()
}

/// Resolves a next link against the base URL. The result must stay on the base URL's origin, so credentials are
/// never sent elsewhere.
///
/// A path-absolute link (`/v2/images?marker=x`) is relative to the service's root, which may sit under a path
/// prefix the service does not know about (OpenStack Glance behind `/image` on devstack: base URL
/// `http://host/image/v2`, link `/v2/images?...`). The base URL's path is read as prefix + root path: the link keeps
/// the longest tail of the base path it already starts with (whole segments), and the rest of the base path goes
/// in front. So on base `/image/v2`, `/v2/images` becomes `/image/v2/images`, `/image/v2/images` is kept, and
/// `/images` becomes `/image/v2/images`. Absolute URLs are used as they are; other relative links (`images?m=1`)
/// resolve against the base URL as a directory (RFC 3986 §5.2).
fn resolve_next(base: &Url, link: &str) -> Result<Url, PaginationError> {
    let invalid = || PaginationError::InvalidNextLink { link: link.to_owned() };
    let text = link.trim();
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) if text.starts_with('/') && !text.starts_with("//") => {
            let base_path = base.path().trim_end_matches('/');
            let link_path = text.split(['?', '#']).next().unwrap_or("");
            let prefix = service_prefix(base_path, link_path);
            base.join(&format!("{prefix}{text}")).map_err(|_| invalid())?
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let mut directory = base.clone();
            if !directory.path().ends_with('/') {
                let path = format!("{}/", directory.path());
                directory.set_path(&path);
            }
            directory.join(text).map_err(|_| invalid())?
        }
        Err(_) => return Err(invalid()),
    };
    if url.origin() != base.origin() {
        return Err(invalid());
    }
    Ok(url)
}

/// The part of `base_path` (no trailing `/`) to put in front of the path-absolute `link_path`: `base_path` without
/// the longest run of its last segments that `link_path` starts with (segment by segment).
fn service_prefix<'a>(base_path: &'a str, link_path: &str) -> &'a str {
    let starts_with_segments =
        |path: &str, head: &str| path.strip_prefix(head).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    // Every `/` of the base path starts a candidate tail, longest (the whole path) first.
    for (index, _) in base_path.match_indices('/') {
        let tail = &base_path[index..];
        if starts_with_segments(link_path, tail) {
            return &base_path[..index];
        }
    }
    base_path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_resolution() {
        let base = Url::parse("https://glance.example.com/v2").unwrap();
        let r = |l: &str| resolve_next(&base, l).map(|u| u.to_string());
        assert_eq!(r("/v2/images?marker=x").unwrap(), "https://glance.example.com/v2/images?marker=x");
        assert_eq!(r("/images?marker=x").unwrap(), "https://glance.example.com/v2/images?marker=x");
        assert_eq!(r("/v20/images").unwrap(), "https://glance.example.com/v2/v20/images");
        assert_eq!(r("images?marker=y").unwrap(), "https://glance.example.com/v2/images?marker=y");
        assert_eq!(r("https://glance.example.com/v2/images?m=1").unwrap(), "https://glance.example.com/v2/images?m=1");
        assert!(matches!(r("https://evil.example.com/v2/images"), Err(PaginationError::InvalidNextLink { .. })));
        assert!(r("//evil.example.com/x").is_err());
        assert!(r("http://[::1").is_err());
        // Glance behind a path prefix: links are relative to the service root, not to the prefix.
        let prefixed = Url::parse("http://devstack.example/image/v2").unwrap();
        let p = |l: &str| resolve_next(&prefixed, l).map(|u| u.to_string()).unwrap();
        assert_eq!(p("/v2/images?limit=2&marker=a"), "http://devstack.example/image/v2/images?limit=2&marker=a");
        assert_eq!(p("/image/v2/images?marker=a"), "http://devstack.example/image/v2/images?marker=a");
        assert_eq!(p("/images?marker=a"), "http://devstack.example/image/v2/images?marker=a");
        assert_eq!(p("/v2"), "http://devstack.example/image/v2");
        assert_eq!(p("images?marker=a"), "http://devstack.example/image/v2/images?marker=a");
        assert_eq!(p("http://devstack.example/image/v2/images?m=1"), "http://devstack.example/image/v2/images?m=1");
        let deep = Url::parse("http://h/a/b/image/v2/").unwrap();
        assert_eq!(resolve_next(&deep, "/v2/images").unwrap().path(), "/a/b/image/v2/images");
        assert_eq!(resolve_next(&deep, "/image/v2/images").unwrap().path(), "/a/b/image/v2/images");
        assert_eq!(resolve_next(&deep, "/b/image/v2/images").unwrap().path(), "/a/b/image/v2/images");
        assert_eq!(resolve_next(&deep, "/v20/images").unwrap().path(), "/a/b/image/v2/v20/images");
        let root = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(resolve_next(&root, "/items?m=2").unwrap().as_str(), "http://127.0.0.1:8080/items?m=2");
    }

    #[test]
    fn page_numbers_from_links() {
        let base = Url::parse("https://api.example.com/v2").unwrap();
        assert_eq!(page_from_link(&base, "https://api.example.com/v2/droplets?page=3&per_page=2", "page"), Some(3));
        assert_eq!(page_from_link(&base, "/v2/droplets?per_page=2&page=4", "page"), Some(4));
        assert_eq!(page_from_link(&base, "/v2/droplets?p=4", "page"), None);
        assert_eq!(page_from_link(&base, "/v2/droplets?page=x", "page"), None);
    }
}
