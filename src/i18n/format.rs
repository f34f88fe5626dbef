//! Dates and numbers in the user's language: one `Intl.DateTimeFormat` and one
//! `Intl.NumberFormat` per locale, created on first use and kept (creating them is slow).
//! The list and the Connection view both call [`instant`], so an instant reads the same
//! on both screens. Outside a browser (native tests) a fixed UTC form stands in.

use super::Locale;

/// "2026-11-22T10:00:00Z" → "2026-11-22 10:00 UTC"; anything else as it is. The form
/// natively (without `Intl`) and for a value the browser cannot read.
pub fn plain_instant(s: &str) -> String {
    let b = s.as_bytes();
    let looks_right = b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':';
    if looks_right && (s.ends_with('Z') || s.ends_with("+00:00")) {
        format!("{} {} UTC", &s[..10], &s[11..16])
    } else {
        s.to_string()
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use std::cell::RefCell;

    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::Locale;

    fn slot(l: Locale) -> usize {
        match l {
            Locale::En => 0,
            Locale::De => 1,
        }
    }

    thread_local! {
        static DATES: RefCell<[Option<Function>; 2]> = const { RefCell::new([None, None]) };
        static NUMBERS: RefCell<[Option<Function>; 2]> = const { RefCell::new([None, None]) };
    }

    fn options(pairs: &[(&str, &str)]) -> Object {
        let o = Object::new();
        for (k, v) in pairs {
            let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
        }
        o
    }

    fn locales(l: Locale) -> Array {
        Array::of1(&JsValue::from_str(l.tag()))
    }

    /// The bound `format` of the locale's formatter, made once.
    fn cached(
        cell: &'static std::thread::LocalKey<RefCell<[Option<Function>; 2]>>,
        l: Locale,
        make: impl FnOnce() -> Function,
    ) -> Function {
        cell.with(|c| c.borrow_mut()[slot(l)].get_or_insert_with(make).clone())
    }

    pub fn instant(l: Locale, rfc3339: &str) -> Option<String> {
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return None;
        }
        let f = cached(&DATES, l, || {
            Intl::DateTimeFormat::new(
                &locales(l),
                &options(&[("dateStyle", "medium"), ("timeStyle", "short")]),
            )
            .format()
        });
        f.call1(&JsValue::NULL, &date).ok()?.as_string()
    }

    pub fn number(l: Locale, n: f64) -> Option<String> {
        let f = cached(&NUMBERS, l, || {
            Intl::NumberFormat::new(&locales(l), &options(&[])).format()
        });
        f.call1(&JsValue::NULL, &JsValue::from_f64(n))
            .ok()?
            .as_string()
    }
}

/// An RFC 3339 instant in `l` ("Nov 22, 2026, 11:00 AM", "22.11.2026, 11:00"), in the
/// browser's time zone; [`plain_instant`] where `Intl` is missing or cannot read it.
pub fn instant(l: Locale, rfc3339: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = js::instant(l, rfc3339) {
        return s;
    }
    let _ = l;
    plain_instant(rfc3339)
}

/// A count in `l` ("1,000", "1.000"); plain digits where `Intl` is missing.
pub fn number(l: Locale, n: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = js::number(l, n as f64) {
        return s;
    }
    let _ = l;
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_instants() {
        assert_eq!(
            plain_instant("2026-11-22T10:00:00Z"),
            "2026-11-22 10:00 UTC"
        );
        assert_eq!(
            plain_instant("2026-11-22T10:05:59.123+00:00"),
            "2026-11-22 10:05 UTC"
        );
        assert_eq!(plain_instant("yesterday"), "yesterday");
        assert_eq!(number(Locale::De, 40), "40");
    }
}
