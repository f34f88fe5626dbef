//! The one stand-in for `window.fetch` of the browser tests: every request the app sends is
//! recorded (method, path, query, headers, body) and answered by the test's handler, at once,
//! later (held until [`release`]) or after a delay. [`routes`] is the handler of a fixed
//! table of answers; a test with answers that depend on data (the list's paging) gives its
//! own function to [`answer_with`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The stand-in: reads the request, records it, asks the handler (`f.answer`), answers.
const FETCH: &str = r#"
const f = window.__ccFetch;
const req = input instanceof Request ? input : new Request(input, init);
const url = new URL(req.url, location.href);
return req.text().then((body) => {
  const rec = { method: req.method, path: url.pathname, search: url.search, body,
                headers: Object.fromEntries(req.headers.entries()) };
  f.requests.push(rec);
  const [status, payload, when] = f.answer(JSON.stringify(rec));
  const answer = () => new Response(payload,
      { status, headers: { 'content-type': 'application/json' } });
  if (when === 'held') {
    return new Promise((resolve) => f.held.push(() => resolve(answer())));
  }
  if (typeof when === 'number') {
    return new Promise((resolve) => setTimeout(() => { f.late += 1; resolve(answer()); }, when));
  }
  return answer();
});
"#;

/// One request the app sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query with its `?` (empty when none).
    pub search: String,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Request {
    fn from_json(v: &Value) -> Request {
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        Request {
            method: text("method"),
            path: text("path"),
            search: text("search"),
            headers: v["headers"]
                .as_object()
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            body: text("body"),
        }
    }

    /// The header `name` (lower case), empty when not sent.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The value of query parameter `key`, decoded (`%20` and the like).
    pub fn param(&self, key: &str) -> Option<String> {
        self.search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| js_sys::decode_uri_component(v).ok())
            .map(String::from)
    }
}

/// When an answer is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    Now,
    /// When the test calls [`release`].
    Held,
    /// After this many milliseconds.
    After(u32),
}

/// The answer to one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// `None`: no body (a 204).
    pub body: Option<String>,
    pub when: When,
}

impl Reply {
    /// `status` with `body` as JSON.
    pub fn json(status: u16, body: &impl serde::Serialize) -> Reply {
        Reply {
            status,
            body: Some(serde_json::to_string(body).expect("json")),
            when: When::Now,
        }
    }

    /// `204 No Content`.
    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            body: None,
            when: When::Now,
        }
    }

    /// The API's Error body with `status` and `code`.
    pub fn error(status: u16, code: &str) -> Reply {
        Reply::json(
            status,
            &serde_json::json!({ "error": { "code": code, "message": "No such thing." } }),
        )
    }

    /// Sent only when the test calls [`release`].
    pub fn held(self) -> Reply {
        Reply {
            when: When::Held,
            ..self
        }
    }

    /// Sent `ms` milliseconds later (after faster answers that follow it).
    pub fn after(self, ms: u32) -> Reply {
        Reply {
            when: When::After(ms),
            ..self
        }
    }
}

type Handler = Rc<dyn Fn(&Request) -> Reply>;

thread_local! {
    static HANDLER: RefCell<Option<Handler>> = const { RefCell::new(None) };
}

fn state() -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &"__ccFetch".into()).expect("the stand-in's state")
}

fn state_of(key: &str) -> JsValue {
    js_sys::Reflect::get(&state(), &key.into()).expect(key)
}

/// Replaces `window.fetch` with the stand-in, answering with `handler` from now on; what was
/// recorded or held before is forgotten.
pub fn answer_with(handler: impl Fn(&Request) -> Reply + 'static) {
    HANDLER.with(|h| *h.borrow_mut() = Some(Rc::new(handler)));
    let global = js_sys::global();
    let installed = js_sys::Reflect::get(&global, &"__ccFetch".into())
        .map(|s| s.is_object())
        .unwrap_or(false);
    if !installed {
        // One closure for the page's life: answers in flight may still call it.
        let answer = Closure::<dyn Fn(String) -> js_sys::Array>::new(|rec: String| {
            let rec = Request::from_json(&serde_json::from_str(&rec).unwrap_or(Value::Null));
            let handler = HANDLER.with(|h| h.borrow().clone());
            let reply = handler.map_or_else(|| Reply::error(404, "not_found"), |h| h(&rec));
            let body: JsValue = reply.body.map_or(JsValue::NULL, JsValue::from);
            let when: JsValue = match reply.when {
                When::Now => JsValue::NULL,
                When::Held => "held".into(),
                When::After(ms) => ms.into(),
            };
            js_sys::Array::of3(&reply.status.into(), &body, &when)
        });
        let state = js_sys::Object::new();
        js_sys::Reflect::set(&state, &"answer".into(), answer.as_ref()).expect("set");
        answer.forget();
        js_sys::Reflect::set(&global, &"__ccFetch".into(), &state).expect("set");
        let fetch = js_sys::Function::new_with_args("input, init", FETCH);
        js_sys::Reflect::set(&global, &"fetch".into(), &fetch).expect("set fetch");
    }
    let s = state();
    for key in ["requests", "held"] {
        js_sys::Reflect::set(&s, &key.into(), &js_sys::Array::new()).expect("set");
    }
    js_sys::Reflect::set(&s, &"late".into(), &0.into()).expect("set");
}

/// A fixed answer: `(method, path, status, body, held)`; `body` `null` sends none.
pub type Route = (&'static str, &'static str, u16, Value, bool);

/// Answers `table` (of [`Route`]s) by method and path (the query aside), anything else with a
/// 404.
pub fn routes(table: &[(&str, &str, u16, Value, bool)]) {
    let table: Vec<(String, String, u16, Value, bool)> = table
        .iter()
        .map(|(m, p, s, b, h)| (m.to_string(), p.to_string(), *s, b.clone(), *h))
        .collect();
    answer_with(move |req| {
        let Some((_, _, status, body, held)) = table
            .iter()
            .find(|(m, p, ..)| *m == req.method && *p == req.path)
        else {
            return Reply::error(404, "not_found");
        };
        let reply = Reply {
            status: *status,
            body: (!body.is_null()).then(|| body.to_string()),
            when: When::Now,
        };
        if *held {
            reply.held()
        } else {
            reply
        }
    });
}

/// Every request since the handler was set, in order.
pub fn requests() -> Vec<Request> {
    let list: js_sys::Array = state_of("requests").dyn_into().expect("array");
    list.iter()
        .filter_map(|r| js_sys::JSON::stringify(&r).ok())
        .map(String::from)
        .map(|t| Request::from_json(&serde_json::from_str(&t).unwrap_or(Value::Null)))
        .collect()
}

/// The requests with `method`.
pub fn requests_by(method: &str) -> Vec<Request> {
    requests()
        .into_iter()
        .filter(|r| r.method == method)
        .collect()
}

/// How many answers are held now.
pub fn held() -> usize {
    js_sys::Array::from(&state_of("held")).length() as usize
}

/// Sends the `n` oldest held answers.
pub fn release(n: usize) {
    let held: js_sys::Array = state_of("held").dyn_into().expect("array");
    for _ in 0..n.min(held.length() as usize) {
        if let Ok(f) = held.shift().dyn_into::<js_sys::Function>() {
            f.call0(&JsValue::NULL).expect("release");
        }
    }
}

/// Sends every held answer.
pub fn release_all() {
    release(usize::MAX);
}

/// How many delayed answers ([`Reply::after`]) have been sent.
pub fn late_answers() -> usize {
    state_of("late").as_f64().unwrap_or(0.0) as usize
}
