//! Reading the contract's JSON answers without serde's deserializer: a small parser into a
//! [`Json`] tree, and [`FromJson`] for each answer type.
//!
//! The app decodes about twenty types. Through `serde_json`, each got its own copy of the
//! deserializer's code (a visitor per struct, per `Option<T>`, per `Vec<T>`): about a sixth
//! of the wasm. Here the parser exists once and a type's decoder only moves values out of
//! an object by key. Requests are still written with serde (`serde_json::to_string`), and
//! the server reads and writes everything with serde; a test checks that this reader gives
//! the same value as serde for every answer type.
//!
//! Decoding follows the types' serde attributes: an `Option` field may be missing or
//! `null`; a field marked `#[serde(default)]` may be missing; any other field must be there;
//! unknown fields are skipped; an enum is its `snake_case` name. Any mismatch makes the
//! whole value unreadable (`None`), as a serde error does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::{
    Action, Actor, Choice, Connection, Driver, ErrorBody, ErrorCode, ErrorDetail, Event, EventPage,
    EventStatus, Field, Format, Me, Page, ProblemDetail, State, Status, VerifyResult,
};

/// A parsed JSON value. Object keys borrow from the input unless they held an escape. Of a
/// key given twice, a struct's decoder takes the first (serde refuses the document); counts
/// above `i64::MAX` are not read as integers (the contract's never are).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction or exponent, or out of `i64`'s range: not used by the
    /// contract, so kept only as "a number".
    Number,
    Str(String),
    Arr(Vec<Json<'a>>),
    Obj(Object<'a>),
}

/// An object's members, in their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a>(pub Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Object<'a> {
    /// Takes the member `key` out (`Null` when there is none).
    pub fn take(&mut self, key: &str) -> Json<'a> {
        match self.0.iter().position(|(k, _)| k == key) {
            Some(i) => std::mem::replace(&mut self.0[i].1, Json::Null),
            None => Json::Null,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// The member `key` as a `T` (a missing member reads as `null`).
    pub fn field<T: FromJson>(&mut self, key: &str) -> Option<T> {
        T::from_json(self.take(key))
    }

    /// The member `key` as a `T`, or `T`'s default when it is missing
    /// (`#[serde(default)]`).
    pub fn field_or_default<T: FromJson + Default>(&mut self, key: &str) -> Option<T> {
        if self.has(key) {
            self.field(key)
        } else {
            Some(T::default())
        }
    }
}

/// Deepest nesting accepted (`serde_json` stops at 128 levels too, counted slightly
/// differently).
const MAX_DEPTH: usize = 128;

/// Parses one JSON document (whitespace around it allowed, nothing else).
pub fn parse(input: &[u8]) -> Option<Json<'_>> {
    let mut p = Parser { s: input, at: 0 };
    let value = p.value(0)?;
    p.blank();
    (p.at == input.len()).then_some(value)
}

/// Parses and decodes one document.
pub fn from_slice<T: FromJson>(input: &[u8]) -> Option<T> {
    T::from_json(parse(input)?)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.blank();
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn word(&mut self, w: &[u8], value: Json<'a>) -> Option<Json<'a>> {
        let end = self.at.checked_add(w.len())?;
        (self.s.get(self.at..end)? == w).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blank();
        match self.peek()? {
            b'n' => self.word(b"null", Json::Null),
            b't' => self.word(b"true", Json::Bool(true)),
            b'f' => self.word(b"false", Json::Bool(false)),
            b'"' => Some(Json::Str(self.string()?.into_owned())),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']').is_none() {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b',').is_none() {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
                Some(Json::Arr(items))
            }
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat(b'}').is_none() {
                    loop {
                        self.blank();
                        let key = self.string()?;
                        self.eat(b':')?;
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b',').is_none() {
                            self.eat(b'}')?;
                            break;
                        }
                    }
                }
                Some(Json::Obj(Object(members)))
            }
            _ => self.number(),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Json<'a>> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek();
        let int = self.digits();
        // No leading zeros (`01`), at least one digit.
        if int == 0 || (first == Some(b'0') && int > 1) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // A fraction or an exponent does not parse as `i64`: such a number is `Number`, and so
        // is `-0`, which serde reads as a float too.
        let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        if text == "-0" {
            return Some(Json::Number);
        }
        Some(text.parse().map_or(Json::Number, Json::Int))
    }

    /// A string at the cursor (its opening quote), borrowed when it holds no escape.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let start = self.at;
        loop {
            match *self.s.get(self.at)? {
                b'"' => {
                    let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
                    self.at += 1;
                    return Some(Cow::Borrowed(text));
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        // Escapes: copy what came before and decode the rest.
        let mut out = std::str::from_utf8(&self.s[start..self.at])
            .ok()?
            .to_string();
        loop {
            let run = self.at;
            while !matches!(*self.s.get(self.at)?, b'"' | b'\\' | 0..=0x1f) {
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.s[run..self.at]).ok()?);
            match self.s[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.at += 1;
                    let c = match *self.s.get(self.at)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.at += 1;
                            let c = self.unicode()?;
                            out.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    self.at += 1;
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.at.checked_add(4)?;
        let text = std::str::from_utf8(self.s.get(self.at..end)?).ok()?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at = end;
        u32::from_str_radix(text, 16).ok()
    }

    /// The character of a `\u` escape (the cursor after the `u`), surrogate pairs joined.
    fn unicode(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.s.get(self.at..self.at.checked_add(2)?)? != b"\\u" {
            return None;
        }
        self.at += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }
}

/// A type read from a [`Json`] value; `None` when the value does not fit.
pub trait FromJson: Sized {
    fn from_json(j: Json) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(j: Json) -> Option<Self> {
        match j {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl FromJson for bool {
    fn from_json(j: Json) -> Option<Self> {
        match j {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl FromJson for i64 {
    fn from_json(j: Json) -> Option<Self> {
        match j {
            Json::Int(n) => Some(n),
            _ => None,
        }
    }
}

impl FromJson for u64 {
    fn from_json(j: Json) -> Option<Self> {
        u64::try_from(i64::from_json(j)?).ok()
    }
}

impl FromJson for u32 {
    fn from_json(j: Json) -> Option<Self> {
        u32::try_from(i64::from_json(j)?).ok()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(j: Json) -> Option<Self> {
        match j {
            Json::Null => Some(None),
            j => T::from_json(j).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for std::sync::Arc<T> {
    fn from_json(j: Json) -> Option<Self> {
        T::from_json(j).map(std::sync::Arc::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(j: Json) -> Option<Self> {
        match j {
            Json::Arr(items) => items.into_iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(j: Json) -> Option<Self> {
        let mut map = BTreeMap::new();
        for (k, v) in j.into_object()?.0 {
            map.insert(k.into_owned(), T::from_json(v)?);
        }
        Some(map)
    }
}

impl<'a> Json<'a> {
    /// The object's members, if this is an object.
    pub fn into_object(self) -> Option<Object<'a>> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// An enum read from its `snake_case` name.
macro_rules! named {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(j: Json) -> Option<Self> {
                match j.as_str()? {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

/// A struct read member by member: `field` must be there (an `Option` may be missing),
/// `field = default` may be missing.
macro_rules! object {
    ($ty:ident { $($field:ident $(= $default:ident)?),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(j: Json) -> Option<Self> {
                let mut o = j.into_object()?;
                Some($ty {
                    $($field: object!(@take o, $field $(, $default)?),)*
                })
            }
        }
    };
    (@take $o:ident, $field:ident) => { $o.field(stringify!($field))? };
    (@take $o:ident, $field:ident, default) => { $o.field_or_default(stringify!($field))? };
}

named!(State {
    "ok" => Ok,
    "invalid_credentials" => InvalidCredentials,
    "rate_limited" => RateLimited,
    "unreachable" => Unreachable,
    "unverified" => Unverified,
    "error" => Error,
});
named!(Format {
    "text" => Text,
    "cloud_name" => CloudName,
    "digits" => Digits,
    "token" => Token,
    "choice" => Choice,
});
named!(ErrorCode {
    "validation" => Validation,
    "not_found" => NotFound,
    "conflict" => Conflict,
    "unauthorized" => Unauthorized,
    "precondition_required" => PreconditionRequired,
    "payload_too_large" => PayloadTooLarge,
    "bad_request" => BadRequest,
    "internal" => Internal,
    "method_not_allowed" => MethodNotAllowed,
    "forbidden" => Forbidden,
});
named!(Action {
    "created" => Created,
    "updated" => Updated,
    "secret_replaced" => SecretReplaced,
    "verified" => Verified,
    "deleted" => Deleted,
});

object!(Driver { id, name, fields });
object!(Field {
    key,
    label,
    secret,
    required,
    max_length,
    help,
    choices,
    default,
    format = default,
});
object!(Choice { value, label });
object!(Status {
    state,
    message,
    checked_at,
    field,
    retry_at,
});
object!(Connection {
    id,
    name,
    driver,
    fields,
    secrets_set,
    status,
    created_at,
    updated_at,
    version,
});
object!(Page {
    items,
    total,
    offset,
    limit,
    next,
    prev,
});
object!(VerifyResult {
    state,
    message,
    field,
    retry_at,
});
object!(ErrorBody { error });
object!(ErrorDetail {
    code,
    message,
    fields,
    details,
    request_id,
});
object!(ProblemDetail {
    code,
    params = default,
});
object!(Actor { id, name });
object!(Me {
    id,
    name,
    can_write,
});
object!(EventStatus { state, message });
object!(Event {
    id,
    connection_id,
    at,
    actor,
    action,
    changed,
    status,
});
object!(EventPage {
    items,
    total,
    offset,
    limit,
});

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    /// Our reading of `v` as serde wrote it.
    fn ours<T: FromJson + Serialize>(v: &T) -> Option<T> {
        from_slice(&serde_json::to_vec(v).expect("serialize"))
    }

    fn status() -> Status {
        Status {
            state: State::RateLimited,
            message: Some("Slow down \"now\"\n".into()),
            checked_at: Some("2026-11-27T07:00:00Z".into()),
            field: Some("fields.api_key".into()),
            retry_at: Some("2026-11-27T08:00:00Z".into()),
        }
    }

    fn connection(id: i64) -> Connection {
        Connection {
            id,
            name: "Shop ü 😀".into(),
            driver: "cloudinary-default".into(),
            fields: [("cloud_name".to_string(), "demo".to_string())].into(),
            secrets_set: vec!["api_secret".into()],
            status: status(),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-02T00:00:00Z".into(),
            version: 7,
        }
    }

    #[test]
    fn every_answer_type_reads_as_serde_wrote_it() {
        let full = connection(-3);
        let bare = Connection {
            fields: BTreeMap::new(),
            secrets_set: vec![],
            status: Status::default(),
            ..connection(i64::MAX)
        };
        assert_eq!(ours(&full), Some(full.clone()));
        assert_eq!(ours(&bare), Some(bare.clone()));
        let page = Page {
            items: vec![full, bare],
            total: 2,
            offset: 0,
            limit: 25,
            next: Some("k1".into()),
            prev: None,
        };
        assert_eq!(ours(&page), Some(page));
        for d in crate::drivers() {
            assert_eq!(ours(&d), Some(d.clone()));
        }
        let field = Field {
            key: "region".into(),
            label: "Region".into(),
            secret: false,
            required: true,
            max_length: Some(64),
            help: Some("h".into()),
            choices: Some(vec![Choice {
                value: "eu".into(),
                label: "EU".into(),
            }]),
            default: Some("us".into()),
            format: Format::Choice,
        };
        assert_eq!(ours(&field), Some(field));
        let result = VerifyResult {
            state: State::InvalidCredentials,
            message: Some("m".into()),
            field: Some("f".into()),
            retry_at: None,
        };
        assert_eq!(ours(&result), Some(result));
        let error = ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::MethodNotAllowed,
                message: "no".into(),
                fields: Some([("name".to_string(), "taken".to_string())].into()),
                details: Some(
                    [(
                        "name".to_string(),
                        ProblemDetail {
                            code: "too_long".into(),
                            params: [("max".to_string(), "200".to_string())].into(),
                        },
                    )]
                    .into(),
                ),
                request_id: Some("r".into()),
            },
        };
        assert_eq!(ours(&error), Some(error));
        let me = Me {
            id: "u1".into(),
            name: "Ada".into(),
            can_write: true,
        };
        assert_eq!(ours(&me), Some(me.clone()));
        let shared: Option<std::sync::Arc<Me>> =
            from_slice(&serde_json::to_vec(&me).expect("serialize"));
        assert_eq!(shared.as_deref(), Some(&me));
        let events = EventPage {
            items: vec![
                Event {
                    id: 1,
                    connection_id: 2,
                    at: "t".into(),
                    actor: Some(Actor::local()),
                    action: Action::SecretReplaced,
                    changed: Some(vec!["name".into()]),
                    status: Some(EventStatus {
                        state: State::Ok,
                        message: Some("fine".into()),
                    }),
                },
                Event {
                    id: 3,
                    connection_id: 2,
                    at: "t".into(),
                    actor: None,
                    action: Action::Verified,
                    changed: None,
                    status: None,
                },
            ],
            total: 9,
            offset: 2,
            limit: 2,
        };
        assert_eq!(ours(&events), Some(events));
        for code in [
            ErrorCode::Validation,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::Unauthorized,
            ErrorCode::PreconditionRequired,
            ErrorCode::PayloadTooLarge,
            ErrorCode::BadRequest,
            ErrorCode::Internal,
            ErrorCode::Forbidden,
        ] {
            assert_eq!(ours(&code), Some(code));
        }
        for state in [
            State::Ok,
            State::Unreachable,
            State::Unverified,
            State::Error,
        ] {
            assert_eq!(ours(&state), Some(state));
        }
        for format in [
            Format::Text,
            Format::CloudName,
            Format::Digits,
            Format::Token,
        ] {
            assert_eq!(ours(&format), Some(format));
        }
        for action in [Action::Created, Action::Updated, Action::Deleted] {
            assert_eq!(ours(&action), Some(action));
        }
    }

    #[test]
    fn members_follow_the_types_serde_attributes() {
        // Unknown members are skipped; a missing or null `Option` is `None`.
        let s: Status =
            from_slice(br#"{"extra":[1,{"a":null}],"state":"ok","message":null}"#).expect("status");
        assert_eq!(
            s,
            Status {
                state: State::Ok,
                ..Status::default()
            }
        );
        // A missing `#[serde(default)]` member is its default; a missing plain one is an error.
        let f: Field = from_slice(br#"{"key":"k","label":"l","secret":true,"required":false}"#)
            .expect("field");
        assert_eq!(f.format, Format::Text);
        assert_eq!(from_slice::<Me>(br#"{"id":"a","name":"b"}"#), None);
        let p: ProblemDetail = from_slice(br#"{"code":"c"}"#).expect("problem");
        assert!(p.params.is_empty());
        // Wrong types and unknown names are errors, as with serde.
        assert_eq!(from_slice::<State>(br#""fine""#), None);
        assert_eq!(
            from_slice::<Me>(br#"{"id":"a","name":"b","can_write":1}"#),
            None
        );
        assert_eq!(from_slice::<u64>(b"-1"), None);
        assert_eq!(from_slice::<u32>(b"4294967296"), None);
        assert_eq!(from_slice::<Vec<i64>>(b"[1,\"2\"]"), None);
        assert_eq!(
            from_slice::<BTreeMap<String, i64>>(br#"{"a":1,"b":2}"#).map(|m| m.len()),
            Some(2)
        );
        assert_eq!(from_slice::<i64>(b"1.5"), None);
        assert_eq!(from_slice::<Option<i64>>(b"null"), Some(None));
        assert_eq!(from_slice::<bool>(b" false "), Some(false));
    }

    #[test]
    fn strings_and_numbers() {
        assert_eq!(
            parse(br#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z""#),
            Some(Json::Str("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1f600}z".into()))
        );
        // A key with an escape is decoded too.
        let o = parse(br#"{"k\u0065y":1}"#).and_then(Json::into_object);
        assert_eq!(o.map(|mut o| o.take("key")), Some(Json::Int(1)));
        for bad in [
            &br#""\ud83d""#[..],
            br#""\ude00""#,
            br#""\ud83d\u0041""#,
            br#""\x""#,
            br#""\u12""#,
            br#""\u12g4""#,
            b"\"a\nb\"",
            b"\"open",
            b"\"\xff\"",
        ] {
            assert_eq!(parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse(b"-0"), Some(Json::Number));
        assert_eq!(parse(b"0"), Some(Json::Int(0)));
        assert_eq!(parse(b"9223372036854775807"), Some(Json::Int(i64::MAX)));
        assert_eq!(parse(b"9223372036854775808"), Some(Json::Number));
        assert_eq!(parse(b"1e3"), Some(Json::Number));
        assert_eq!(parse(b"-2.5E-3"), Some(Json::Number));
        for bad in [
            &b"01"[..],
            b"-",
            b"1.",
            b".5",
            b"1e",
            b"1e+",
            b"+1",
            b"0x1",
            b"--1",
        ] {
            assert_eq!(parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn only_one_whole_document() {
        for bad in [
            &b""[..],
            b"  ",
            b"{} {}",
            b"[1,]",
            b"[1 2]",
            b"{\"a\" 1}",
            b"{\"a\":1,}",
            b"{a:1}",
            b"[",
            b"{",
            b"nul",
            b"truex",
            b"[1]]",
        ] {
            assert_eq!(parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse(b" [ ] "), Some(Json::Arr(vec![])));
        assert_eq!(parse(b"{ }"), Some(Json::Obj(Object::default())));
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(deep(MAX_DEPTH + 1).as_bytes()).is_some());
        assert_eq!(parse(deep(MAX_DEPTH + 2).as_bytes()), None);
        let deep = |n: usize| format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
        assert!(parse(deep(MAX_DEPTH).as_bytes()).is_some());
        assert_eq!(parse(deep(MAX_DEPTH + 1).as_bytes()), None);
    }

    /// Our tree as a serde value (numbers that are not integers become 0.5).
    fn to_value(j: Json) -> Value {
        match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Int(n) => Value::from(n),
            Json::Number => Value::from(0.5),
            Json::Str(s) => Value::String(s),
            Json::Arr(a) => Value::Array(a.into_iter().map(to_value).collect()),
            Json::Obj(o) => Value::Object(
                o.0.into_iter()
                    .map(|(k, v)| (k.into_owned(), to_value(v)))
                    .collect(),
            ),
        }
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            Just(Value::from(0.5)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_serde_writes_parses_to_the_same_value(v in any_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_vec_pretty(&v)
            } else {
                serde_json::to_vec(&v)
            }
            .expect("serialize");
            prop_assert_eq!(parse(&text).map(to_value), Some(v));
        }

        #[test]
        fn any_string_round_trips(s in any::<String>()) {
            let text = serde_json::to_vec(&s).expect("serialize");
            prop_assert_eq!(from_slice::<String>(&text), Some(s));
        }

        #[test]
        fn any_connection_id_and_count_round_trips(id in any::<i64>(), total in 0..=i64::MAX as u64) {
            let page = Page { items: vec![connection(id)], total, offset: total, limit: 1, next: None, prev: None };
            prop_assert_eq!(ours(&page), Some(page));
        }
    }
}
