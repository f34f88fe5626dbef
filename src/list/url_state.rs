//! The list's view in the address: `?q=…&sort=…&order=…&page=…&size=…`, so Back from the
//! Connection view, the browser's Back and a shared link show the same view. Only what
//! differs from the default view is written; what does not parse is left at its default.

use connections_api::{Order, SortKey};

use super::pager::is_page_size;
use super::query::{Sort, ViewQuery};

/// The query parameters of the view.
pub const KEYS: [&str; 5] = ["q", "sort", "order", "page", "size"];

/// The highest page an address may name (the list goes to the last page there is).
const MAX_PAGE: u64 = 1_000_000;

/// The view a query string's `pairs` (decoded keys and values) ask for; `limit` is the page
/// size when the address names none (the user's stored choice).
pub fn from_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    limit: u64,
) -> ViewQuery {
    let mut view = ViewQuery {
        limit,
        ..ViewQuery::default()
    };
    let (mut key, mut order, mut page) = (None, Order::Asc, 1u64);
    for (k, v) in pairs {
        let v = v.trim();
        match k {
            "q" => view.q = v.to_string(),
            "sort" => key = SortKey::ALL.into_iter().find(|s| s.as_str() == v),
            "order" if v == "desc" => order = Order::Desc,
            "page" => {
                page = v
                    .parse()
                    .ok()
                    .filter(|p| *p >= 1)
                    .unwrap_or(1)
                    .min(MAX_PAGE)
            }
            "size" => {
                if let Some(n) = v.parse().ok().filter(|n| is_page_size(*n)) {
                    view.limit = n;
                }
            }
            _ => {}
        }
    }
    view.sort = key.map(|key| Sort { key, order });
    view.offset = (page - 1).saturating_mul(view.limit);
    view
}

/// The query string (with its `?`, or empty) of `view`, naming only what differs from the
/// default view; `default_limit` is the page size not written.
pub fn to_search(view: &ViewQuery, default_limit: u64) -> String {
    let mut parts = Vec::new();
    let q = view.q.trim();
    if !q.is_empty() {
        parts.push(format!("q={}", encode(q)));
    }
    if let Some(s) = view.sort {
        parts.push(format!("sort={}", s.key.as_str()));
        if s.order == Order::Desc {
            parts.push("order=desc".into());
        }
    }
    let page = view.offset / view.limit.max(1) + 1;
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if view.limit != default_limit {
        parts.push(format!("size={}", view.limit));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes all but the unreserved characters (RFC 3986), byte by byte of UTF-8.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    fn parse(search: &str, limit: u64) -> ViewQuery {
        let pairs: Vec<(String, String)> = search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), decode(v)))
            .collect();
        from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), limit)
    }

    #[test]
    fn the_default_view_writes_nothing() {
        assert_eq!(to_search(&ViewQuery::default(), 25), "");
        assert_eq!(parse("", 25), ViewQuery::default());
    }

    #[test]
    fn a_view_goes_there_and_back() {
        let view = ViewQuery {
            q: "Shop EU & Co/ä?".into(),
            sort: Some(Sort {
                key: SortKey::LastVerified,
                order: Order::Desc,
            }),
            offset: 100,
            limit: 50,
            keyed: None,
        };
        let search = to_search(&view, 25);
        assert_eq!(
            search,
            "?q=Shop%20EU%20%26%20Co%2F%C3%A4%3F&sort=last_verified&order=desc&page=3&size=50"
        );
        assert_eq!(parse(&search, 25), view);
    }

    #[test]
    fn what_does_not_parse_stays_default() {
        let v = parse("?sort=password&order=sideways&page=-2&size=7&extra=1", 10);
        assert_eq!(v.sort, None);
        assert_eq!(v.offset, 0);
        assert_eq!(v.limit, 10, "the stored page size, 7 is no choice");
        let v = parse("?sort=name&page=0", 25);
        assert_eq!(
            v.sort,
            Some(Sort {
                key: SortKey::Name,
                order: Order::Asc
            })
        );
        assert_eq!(v.offset, 0);
        // A huge page does not overflow; the server clamps and the list goes to the last page.
        assert_eq!(
            parse("?page=18446744073709551615", 25).offset,
            (MAX_PAGE - 1) * 25
        );
    }
}
