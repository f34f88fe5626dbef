//! One page of the list, as both backends read it: bounds, order, filter.

use connections_api::{ListQuery, Order, SortKey};
use connections_api::{DEFAULT_LIMIT, MAX_LIMIT};

/// The parts of a list query, checked and clamped; each backend writes its SQL.
pub(super) struct PageSpec {
    pub sort: SortKey,
    pub order: &'static str,
    /// `%…%` LIKE pattern of the lower-cased search text (escaped with `\`), if any.
    pub pattern: Option<String>,
    /// The search text as an id, or -1.
    pub id: i64,
    pub limit: u64,
    pub offset: u64,
}

impl PageSpec {
    pub fn new(query: &ListQuery) -> PageSpec {
        let q = query.q.as_deref().map(str::trim).unwrap_or("");
        PageSpec {
            sort: query.sort.unwrap_or_default(),
            order: match query.order.unwrap_or_default() {
                Order::Asc => "ASC",
                Order::Desc => "DESC",
            },
            pattern: (!q.is_empty()).then(|| format!("%{}%", escape_like(&q.to_lowercase()))),
            id: q.parse::<i64>().unwrap_or(-1),
            limit: query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: query.offset.unwrap_or(0),
        }
    }

    /// `ORDER BY` with `column` (the sort key's expression), ties broken by id.
    pub fn order_by(&self, column: &str) -> String {
        let order = self.order;
        if self.sort == SortKey::Id {
            format!("id {order}")
        } else {
            format!("{column} {order}, id {order}")
        }
    }

    pub fn limit(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX)
    }

    pub fn offset(&self) -> i64 {
        i64::try_from(self.offset).unwrap_or(i64::MAX)
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
