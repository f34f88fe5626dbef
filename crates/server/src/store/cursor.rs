//! The keyset cursor of the list: the sort it belongs to, a row's id and the
//! value of the sort expression in that row, as `<sort>.<id>.<hex of value>`.
//! Opaque to callers; it keeps the value itself, so a page after a row that
//! was deleted since still starts in the right place.

use connections_api::SortKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cursor {
    pub id: i64,
    /// The sort expression's value (empty for the id sort).
    pub value: String,
}

impl Cursor {
    pub fn new(id: i64, value: Option<&str>) -> Cursor {
        Cursor {
            id,
            value: value.unwrap_or_default().to_string(),
        }
    }

    /// The cursor text for `sort`.
    pub fn encode(&self, sort: SortKey) -> String {
        let mut out = format!("{}.{}.", sort.as_str(), self.id);
        for b in self.value.bytes() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// A cursor of `sort`; `None` when `text` is not one.
    pub fn parse(text: &str, sort: SortKey) -> Option<Cursor> {
        let mut parts = text.splitn(3, '.');
        if parts.next()? != sort.as_str() {
            return None;
        }
        let id: i64 = parts.next()?.parse().ok()?;
        let hex = parts.next()?;
        if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let value = String::from_utf8(bytes).ok()?;
        Some(Cursor { id, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_written() {
        let c = Cursor::new(42, Some("café.x"));
        let text = c.encode(SortKey::Name);
        assert_eq!(Cursor::parse(&text, SortKey::Name), Some(c));
        assert_eq!(Cursor::parse(&text, SortKey::Driver), None);
        assert_eq!(
            Cursor::parse("id.7.", SortKey::Id),
            Some(Cursor::new(7, None))
        );
        for bad in [
            "",
            "id",
            "id.x.",
            "id.7.6",
            "id.7.zz",
            "id.7.ff",
            "name.7.61",
        ] {
            assert_eq!(Cursor::parse(bad, SortKey::Id), None, "{bad}");
        }
    }
}
