//! What the list asks the server for: filter, sort, page ([`ViewQuery`]); the sort cycle of
//! the headers; and the search for the page that holds a just-saved row ([`Locator`]).

use connections_api::{ListQuery, Order, SortKey, CURSOR_END, DEFAULT_LIMIT};

use crate::api::ListPage;

/// A sort the user chose by clicking a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub order: Order,
}

/// The Actindo grid's cycle: another column → ascending; ascending → descending;
/// descending → no sort (the server's default, by ID).
pub fn cycle(current: Option<Sort>, clicked: SortKey) -> Option<Sort> {
    match current {
        Some(Sort {
            key,
            order: Order::Asc,
        }) if key == clicked => Some(Sort {
            key,
            order: Order::Desc,
        }),
        Some(Sort {
            key,
            order: Order::Desc,
        }) if key == clicked => None,
        _ => Some(Sort {
            key: clicked,
            order: Order::Asc,
        }),
    }
}

/// `aria-sort` of the header of `key`.
pub fn aria_sort(current: Option<Sort>, key: SortKey) -> &'static str {
    match current {
        Some(s) if s.key == key => match s.order {
            Order::Asc => "ascending",
            Order::Desc => "descending",
        },
        _ => "none",
    }
}

/// The list's view of the server: what is asked for now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewQuery {
    pub q: String,
    pub sort: Option<Sort>,
    pub offset: u64,
    pub limit: u64,
    /// How the pager reached this page by keys; used only while filter, sort, page size
    /// and offset are still the ones it was made for (anything else that moves the list
    /// goes by offset).
    pub keyed: Option<Keyed>,
}

impl Default for ViewQuery {
    fn default() -> Self {
        ViewQuery {
            q: String::new(),
            sort: None,
            offset: 0,
            limit: DEFAULT_LIMIT,
            keyed: None,
        }
    }
}

/// A pager button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMove {
    First,
    Previous,
    Next,
    Last,
}

/// A page reached by the server's cursors (the same cost at any depth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    /// (`q`, sort, limit, offset) it was made for.
    for_view: (String, Option<Sort>, u64, u64),
    /// `after=` or `before=` and the cursor.
    after: bool,
    cursor: String,
}

impl ViewQuery {
    pub fn to_list_query(&self) -> ListQuery {
        let q = self.q.trim();
        let keyed = self.keyed.as_ref().filter(|k| k.for_view == self.view());
        ListQuery {
            q: (!q.is_empty()).then(|| q.to_string()),
            sort: self.sort.map(|s| s.key),
            order: self.sort.map(|s| s.order),
            offset: Some(self.offset),
            limit: Some(self.limit),
            after: keyed.filter(|k| k.after).map(|k| k.cursor.clone()),
            before: keyed.filter(|k| !k.after).map(|k| k.cursor.clone()),
        }
    }

    fn view(&self) -> (String, Option<Sort>, u64, u64) {
        (self.q.clone(), self.sort, self.limit, self.offset)
    }

    /// Moves to the first, previous, next or last page of `page` (the one shown): by its
    /// cursors when it has them, else by offset. The offset kept is this side's count of
    /// the rows before the page, for "from–to of total" (the last page's comes back from
    /// the server).
    pub fn go(&mut self, to: PageMove, page: Option<&ListPage>) {
        let (offset, key) = match (to, page) {
            (PageMove::First, _) => (0, None),
            (PageMove::Next, Some(p)) if p.next.is_some() => (
                p.offset + p.items.len() as u64,
                p.next.clone().map(|c| (true, c)),
            ),
            (PageMove::Previous, Some(p)) if p.prev.is_some() => (
                p.offset.saturating_sub(self.limit),
                p.prev.clone().map(|c| (false, c)),
            ),
            (PageMove::Last, Some(p)) if p.next.is_some() || p.prev.is_some() => (
                super::pager::last_offset(p.total, self.limit),
                Some((false, CURSOR_END.to_string())),
            ),
            (PageMove::Next, _) => (self.offset + self.limit, None),
            (PageMove::Previous, _) => {
                (super::pager::previous_offset(self.offset, self.limit), None)
            }
            (PageMove::Last, p) => (
                super::pager::last_offset(p.map_or(0, |p| p.total), self.limit),
                None,
            ),
        };
        self.offset = offset;
        self.keyed = key.map(|(after, cursor)| Keyed {
            for_view: self.view(),
            after,
            cursor,
        });
    }

    /// Whether this query is the plain list sorted by ID ascending, where a row's position
    /// follows from its id.
    pub fn is_by_id(&self) -> bool {
        self.q.trim().is_empty()
            && self
                .sort
                .is_none_or(|s| s.key == SortKey::Id && s.order == Order::Asc)
    }
}

/// What to do after looking at a page while searching for a saved row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The row is on the page at this offset (the one just looked at).
    Found,
    /// Look at the page at this offset next.
    Probe(u64),
    /// The row is not in the list (deleted meanwhile).
    Missing,
}

/// Finds the page holding connection `id` in the list sorted by ID ascending, without a
/// position API: a row's index is at most `id - 1` (ids start at 1 and only grow), so look
/// there first (right unless rows before it were deleted), then bisect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    pub id: i64,
    limit: u64,
    /// Bounds (inclusive) of the row's index.
    lo: u64,
    hi: u64,
}

impl Locator {
    pub fn new(id: i64, limit: u64) -> Self {
        let limit = limit.max(1);
        Locator {
            id,
            limit,
            lo: 0,
            hi: u64::try_from(id.max(1) - 1).unwrap_or(0),
        }
    }

    fn page_of(&self, index: u64) -> u64 {
        index / self.limit * self.limit
    }

    /// Offset of the first page to look at.
    pub fn first_offset(&self) -> u64 {
        self.page_of(self.hi)
    }

    /// Looks at the page at `offset` with rows `ids` (ascending) out of `total`.
    pub fn observe(&mut self, offset: u64, ids: &[i64], total: u64) -> Step {
        if ids.contains(&self.id) {
            return Step::Found;
        }
        if total == 0 || self.id < 1 {
            return Step::Missing;
        }
        self.hi = self.hi.min(total - 1);
        // An empty page lies past the end: the bound from `total` above applies.
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            if self.id < *first {
                if offset == 0 {
                    return Step::Missing;
                }
                self.hi = self.hi.min(offset - 1);
            } else if self.id > *last {
                self.lo = self.lo.max(offset + ids.len() as u64);
            } else {
                // It would be on this page.
                return Step::Missing;
            }
        }
        if self.lo > self.hi {
            return Step::Missing;
        }
        let mid = self.lo + (self.hi - self.lo) / 2;
        let next = if ids.is_empty() {
            self.page_of(self.hi)
        } else {
            self.page_of(mid)
        };
        if next == offset {
            // Bounds are within the page just seen: the row is not there.
            return Step::Missing;
        }
        Step::Probe(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn sort_cycle_asc_desc_none() {
        let asc = cycle(None, SortKey::Name);
        assert_eq!(
            asc,
            Some(Sort {
                key: SortKey::Name,
                order: Order::Asc
            })
        );
        assert_eq!(aria_sort(asc, SortKey::Name), "ascending");
        assert_eq!(aria_sort(asc, SortKey::Id), "none");
        let desc = cycle(asc, SortKey::Name);
        assert_eq!(aria_sort(desc, SortKey::Name), "descending");
        assert_eq!(cycle(desc, SortKey::Name), None);
        // Another column starts ascending again.
        assert_eq!(
            cycle(desc, SortKey::Status),
            Some(Sort {
                key: SortKey::Status,
                order: Order::Asc
            })
        );
    }

    #[test]
    fn list_query_of_view() {
        let v = ViewQuery {
            q: "  eu ".into(),
            sort: Some(Sort {
                key: SortKey::CloudName,
                order: Order::Desc,
            }),
            offset: 50,
            limit: 25,
            keyed: None,
        };
        assert_eq!(
            v.to_list_query().to_query_string(),
            "q=eu&sort=cloud_name&order=desc&offset=50&limit=25"
        );
        assert!(!v.is_by_id());
        assert!(ViewQuery::default().is_by_id());
        assert_eq!(ViewQuery::default().to_list_query().q, None);
    }

    fn page(offset: u64, n: u64, total: u64, next: Option<&str>, prev: Option<&str>) -> ListPage {
        ListPage {
            items: Vec::new(),
            total,
            offset,
            limit: n,
            next: next.map(str::to_string),
            prev: prev.map(str::to_string),
        }
    }

    #[test]
    fn pager_moves_by_keys_when_the_page_has_them() {
        let mut v = ViewQuery::default();
        let mut p = page(0, 0, 100, Some("id.25."), None);
        p.items.resize(25, Arc::new(sample()));
        v.go(PageMove::Next, Some(&p));
        let q = v.to_list_query();
        assert_eq!(
            (q.offset, q.after.as_deref(), q.before),
            (Some(25), Some("id.25."), None)
        );
        v.go(
            PageMove::Previous,
            Some(&page(25, 25, 100, Some("id.50."), Some("id.26."))),
        );
        let q = v.to_list_query();
        assert_eq!(
            (q.offset, q.after, q.before.as_deref()),
            (Some(0), None, Some("id.26."))
        );
        v.go(
            PageMove::Last,
            Some(&page(0, 25, 100, Some("id.25."), None)),
        );
        let q = v.to_list_query();
        assert_eq!(
            (q.offset, q.before.as_deref()),
            (Some(75), Some(CURSOR_END))
        );
        // Anything else that moves the list drops the key: a new filter starts at offset 0.
        v.q = "shop".into();
        v.offset = 0;
        assert_eq!(v.to_list_query().before, None);
        v.go(PageMove::First, None);
        assert_eq!(v.keyed, None);
    }

    #[test]
    fn pager_moves_by_offset_without_keys() {
        let mut v = ViewQuery::default();
        v.go(PageMove::Next, Some(&page(0, 25, 100, None, None)));
        assert_eq!((v.offset, v.to_list_query().after), (25, None));
        v.go(PageMove::Last, Some(&page(25, 25, 100, None, None)));
        assert_eq!(v.offset, 75);
        v.go(PageMove::Previous, None);
        assert_eq!(v.offset, 50);
    }

    fn sample() -> connections_api::Connection {
        serde_json::from_value(serde_json::json!({
            "id": 1, "name": "a", "driver": "d", "fields": {}, "secrets_set": [],
            "status": {"state": "unverified"}, "created_at": "", "updated_at": "", "version": 1
        }))
        .expect("connection")
    }

    /// Runs the locator against a list of ids (ascending), as the server would page it.
    fn locate(all: &[i64], id: i64, limit: u64) -> (Option<u64>, usize) {
        let mut l = Locator::new(id, limit);
        let mut offset = l.first_offset();
        for probes in 1..=64 {
            let start = (offset as usize).min(all.len());
            let end = (start + limit as usize).min(all.len());
            match l.observe(offset, &all[start..end], all.len() as u64) {
                Step::Found => return (Some(offset), probes),
                Step::Missing => return (None, probes),
                Step::Probe(next) => offset = next,
            }
        }
        panic!("the locator does not terminate");
    }

    #[test]
    fn finds_rows_without_gaps_in_one_request() {
        let all: Vec<i64> = (1..=100).collect();
        assert_eq!(locate(&all, 1, 25), (Some(0), 1));
        assert_eq!(locate(&all, 26, 25), (Some(25), 1));
        assert_eq!(locate(&all, 100, 25), (Some(75), 1));
    }

    #[test]
    fn finds_rows_after_deletions() {
        // Ids 1..=10_000 with every third deleted.
        let all: Vec<i64> = (1..=10_000).filter(|i| i % 3 != 0).collect();
        for id in [1, 2, 4, 500, 5_000, 9_998, 10_000] {
            let (offset, probes) = locate(&all, id, 25);
            let index = all.iter().position(|x| *x == id).expect("exists") as u64;
            assert_eq!(offset, Some(index / 25 * 25), "id {id}");
            assert!(probes <= 20, "id {id}: {probes} probes");
        }
        // The newest row (the usual case after Add) is on the last page.
        let (offset, _) = locate(&all, 10_000, 500);
        assert_eq!(offset, Some((all.len() as u64 - 1) / 500 * 500));
    }

    #[test]
    fn reports_deleted_rows_missing() {
        let all: Vec<i64> = (1..=100).filter(|i| *i != 42).collect();
        assert_eq!(locate(&all, 42, 10).0, None);
        assert_eq!(locate(&all, 1_000, 10).0, None);
        assert_eq!(locate(&[], 1, 10).0, None);
    }
}
