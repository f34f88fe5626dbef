//! One page of the list, as both backends read it: bounds, order, filter, and
//! the keyset (cursor) that makes First/Next/Previous/Last cost the same at any
//! depth. Each backend gives its [`Dialect`]; the SQL is written here once.

use connections_api::{ListQuery, Order, SortKey, CURSOR_END, MAX_CURSOR_LEN};
use connections_api::{DEFAULT_LIMIT, MAX_LIMIT};
use std::sync::Arc;

use super::cursor::Cursor;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seek {
    /// At `offset` (0: the first page).
    Offset,
    /// Just after this row, in the sort order.
    After(Cursor),
    /// Just before this row.
    Before(Cursor),
    /// The last page.
    End,
}

/// The parts of a list query, checked and clamped; each backend writes its SQL.
pub(super) struct PageSpec {
    pub sort: SortKey,
    pub ascending: bool,
    /// The trimmed, lower-cased search text, if any.
    pub q: Option<String>,
    /// `%…%` LIKE pattern of the lower-cased search text (escaped with `\`), if any.
    pub pattern: Option<String>,
    /// The part of the search text the trigram index reads, when it is not all
    /// of it (chosen by [`PageSpec::narrow`]): the rows found are then tested
    /// against the whole text.
    pub probe: Option<String>,
    /// The ids of every row the search matches, when they were found before
    /// under the same write generation (see `Store::list_rows`): the page is
    /// read from these rows alone, without the index.
    pub hits: Option<Arc<Vec<i64>>>,
    /// The search text as an id, or -1.
    pub id: i64,
    pub limit: u64,
    pub offset: u64,
    pub seek: Seek,
    /// Read the search's matches first and sort them, instead of walking the sort
    /// order until a page of matches is found: chosen by [`PageSpec::choose_plan`].
    pub hits_first: bool,
}

/// Why a cursor parameter cannot be used: a `400`.
pub fn cursor_problem(query: &ListQuery) -> Option<String> {
    let sort = query.sort.unwrap_or_default();
    let too_long = |c: &Option<String>| c.as_ref().is_some_and(|c| c.len() > MAX_CURSOR_LEN);
    if too_long(&query.after) || too_long(&query.before) {
        return Some(format!(
            "after and before are at most {MAX_CURSOR_LEN} characters."
        ));
    }
    match (&query.after, &query.before) {
        (Some(_), Some(_)) => Some("after and before cannot be used together.".into()),
        (Some(c), None) if Cursor::parse(c, sort).is_none() => Some(format!(
            "after is not a cursor of this sort ({}); use a page's next.",
            sort.as_str()
        )),
        (None, Some(c)) if c != CURSOR_END && Cursor::parse(c, sort).is_none() => Some(format!(
            "before is not a cursor of this sort ({}); use a page's prev, or end.",
            sort.as_str()
        )),
        _ => None,
    }
}

impl PageSpec {
    /// The page this spec reads, as a key: two specs with the same key read the
    /// same rows (the plan chosen later does not change which).
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{:?}|{:?}",
            self.sort.as_str(),
            self.ascending,
            self.limit,
            self.offset,
            self.seek,
            self.q
        )
    }

    pub fn new(query: &ListQuery) -> PageSpec {
        let q = query.q.as_deref().map(str::trim).unwrap_or("");
        let sort = query.sort.unwrap_or_default();
        let seek = match (&query.after, &query.before) {
            (Some(c), None) => Cursor::parse(c, sort).map_or(Seek::Offset, Seek::After),
            (None, Some(c)) if c == CURSOR_END => Seek::End,
            (None, Some(c)) => Cursor::parse(c, sort).map_or(Seek::Offset, Seek::Before),
            _ => Seek::Offset,
        };
        let lower = q.to_lowercase();
        PageSpec {
            sort,
            ascending: query.order.unwrap_or_default() == Order::Asc,
            pattern: (!q.is_empty()).then(|| format!("%{}%", escape_like(&lower))),
            q: (!q.is_empty()).then_some(lower),
            id: q.parse::<i64>().unwrap_or(-1),
            limit: query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: query.offset.unwrap_or(0),
            seek,
            hits_first: false,
            probe: None,
            hits: None,
        }
    }

    /// A count of the rows holding `text` as it is (not trimmed: a trigram may
    /// start or end with a space).
    pub fn searching(text: &str) -> PageSpec {
        let mut spec = PageSpec::new(&ListQuery::default());
        spec.pattern = Some(format!("%{}%", escape_like(text)));
        spec.q = Some(text.to_owned());
        spec
    }

    /// Has the trigram index read `run` of the search text instead of all of it
    /// (see `narrow.rs`); the whole text when `run` is all of it.
    pub fn narrow(&mut self, run: &str) {
        self.probe = self
            .q
            .as_deref()
            .filter(|q| *q != run)
            .map(|_| run.to_owned());
    }

    /// With a probe, the `%…%` LIKE pattern of the probe.
    pub fn probe_pattern(&self) -> Option<String> {
        self.probe
            .as_deref()
            .map(|p| format!("%{}%", escape_like(p)))
    }

    /// With a search matching `matches` of `all` rows: walking the sort order reads
    /// about `limit × all / matches` rows before a page is full, reading the matches
    /// (through the trigram index) and sorting them about `matches`; the cheaper one.
    /// Each stays under `√(limit × all)` rows, so a page of a search costs little at any
    /// size (a database planner, without the count, guesses and may read the whole table).
    pub fn choose_plan(&mut self, matches: i64, all: i64) {
        let m = u128::try_from(matches.max(0)).unwrap_or(0);
        let n = u128::try_from(all.max(0)).unwrap_or(0);
        self.hits_first = self.q.is_some() && m * m < u128::from(self.limit) * n;
    }

    /// Whether the rows are read against the sort order (previous and last
    /// pages), to be turned around afterwards.
    pub fn reversed(&self) -> bool {
        matches!(self.seek, Seek::Before(_) | Seek::End)
    }
}

/// A value bound to a statement.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    Text(String),
    Int(i64),
}

/// What differs between the backends' SQL.
pub(super) trait Dialect {
    /// The `n`-th (from 1) parameter.
    fn placeholder(n: usize) -> String;
    /// The expression a sort orders by; an index on (expression, id) gives it.
    fn sort_expr(sort: SortKey) -> &'static str;
    /// The text a cursor keeps of that expression (NULL for the id sort).
    fn sort_value(sort: SortKey) -> &'static str;
    /// Written after a subquery so that it is planned on its own.
    const KEEP_APART: &'static str;
    /// How `sort_key`, the sort expression taken out of a subquery, sorts.
    fn sorted_key(sort: SortKey) -> &'static str;
    /// The condition of a search, binding its values through `bind`.
    fn search(spec: &PageSpec, how: Probe, bind: &mut dyn FnMut(Arg) -> String) -> String;
    /// The condition "id is one of `ids`", binding them as one value.
    fn among(ids: &[i64], bind: &mut dyn FnMut(Arg) -> String) -> String;
    /// The search's condition tested on each row, on expressions no index
    /// serves (the rows are found some other way).
    fn recheck(spec: &PageSpec, bind: &mut dyn FnMut(Arg) -> String) -> String;
}

/// How a search's condition is met: by the rows the index finds, or row by row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Probe {
    /// All matches are wanted (a count, or the matches read first and sorted):
    /// the index finds them.
    Index,
    /// The rows are read in the sort order and each is tested, until a page is
    /// full: an index lookup of every match first would read them all, however
    /// few rows the page needs.
    EachRow,
}

/// A statement and its values, in order.
pub(super) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

/// The number of rows matching the search (only with a search: without one,
/// the total is the counter the writes keep).
pub(super) fn count_sql<D: Dialect>(spec: &PageSpec) -> Sql {
    let mut args = Vec::new();
    let filter = filter::<D>(spec, Probe::Index, &mut args);
    Sql {
        text: format!("SELECT COUNT(*) FROM connections WHERE {filter}"),
        args,
    }
}

/// The ids of the rows matching the search, in no order, at most `limit`.
pub(super) fn hits_sql<D: Dialect>(spec: &PageSpec, limit: i64) -> Sql {
    let mut args = Vec::new();
    let filter = filter::<D>(spec, Probe::Index, &mut args);
    args.push(Arg::Int(limit));
    Sql {
        text: format!(
            "SELECT id FROM connections WHERE {filter} LIMIT {}",
            D::placeholder(args.len())
        ),
        args,
    }
}

/// The page: `limit + 1` rows (the extra one tells whether more follow), in
/// the sort order, or against it when [`PageSpec::reversed`]; `columns` and the
/// cursor's text as `sort_value`.
pub(super) fn page_sql<D: Dialect>(spec: &PageSpec, columns: &str) -> Sql {
    let mut args = Vec::new();
    let how = if spec.hits_first {
        Probe::Index
    } else {
        Probe::EachRow
    };
    let filter = filter::<D>(spec, how, &mut args);
    let forward = spec.ascending != spec.reversed();
    let expr = D::sort_expr(spec.sort);
    let (cmp, dir) = if forward { (">", "ASC") } else { ("<", "DESC") };
    let seek = match &spec.seek {
        Seek::After(c) | Seek::Before(c) => {
            let mut bind = |a: Arg| {
                args.push(a);
                D::placeholder(args.len())
            };
            match spec.sort {
                SortKey::Id => format!(" AND id {cmp} {}", bind(Arg::Int(c.id))),
                // Unique: the name alone is the key.
                SortKey::Name => format!(" AND {expr} {cmp} {}", bind(Arg::Text(c.value.clone()))),
                _ => {
                    let v = bind(Arg::Text(c.value.clone()));
                    let id = bind(Arg::Int(c.id));
                    format!(" AND ({expr}, id) {cmp} ({v}, {id})")
                }
            }
        }
        Seek::Offset | Seek::End => String::new(),
    };
    let order_of = |key: &str| match spec.sort {
        SortKey::Id => format!("id {dir}"),
        SortKey::Name => format!("{key} {dir}"),
        _ => format!("{key} {dir}, id {dir}"),
    };
    args.push(Arg::Int(
        i64::try_from(spec.limit)
            .unwrap_or(i64::MAX)
            .saturating_add(1),
    ));
    let mut bounds = format!("LIMIT {}", D::placeholder(args.len()));
    if spec.seek == Seek::Offset {
        args.push(Arg::Int(i64::try_from(spec.offset).unwrap_or(i64::MAX)));
        bounds.push_str(&format!(" OFFSET {}", D::placeholder(args.len())));
    }
    let sort_value = D::sort_value(spec.sort);
    let text = if spec.hits_first {
        // The matches alone (a subquery the planner keeps apart), then sorted.
        format!(
            "SELECT * FROM (SELECT {columns}, {sort_value} AS sort_value, {expr} AS sort_key \
             FROM connections WHERE {filter}{seek} {}) AS hits ORDER BY {} {bounds}",
            D::KEEP_APART,
            order_of(D::sorted_key(spec.sort)),
        )
    } else {
        format!(
            "SELECT {columns}, {sort_value} AS sort_value FROM connections WHERE {filter}{seek} \
             ORDER BY {} {bounds}",
            order_of(expr)
        )
    };
    Sql { text, args }
}

fn filter<D: Dialect>(spec: &PageSpec, how: Probe, args: &mut Vec<Arg>) -> String {
    if spec.q.is_none() {
        return "TRUE".into();
    }
    let mut bind = |a: Arg| {
        args.push(a);
        D::placeholder(args.len())
    };
    match &spec.hits {
        // The rows still match: a write between the generation read and this
        // query may have changed one.
        Some(ids) => {
            let among = D::among(ids, &mut bind);
            format!("({among} AND {})", D::recheck(spec, &mut bind))
        }
        None => D::search(spec, how, &mut bind),
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
