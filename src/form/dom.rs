//! What the form asks of the browser besides drawing: moving focus, random keys.

use wasm_bindgen::JsCast;

/// Moves focus to the element with `id` (the first invalid field).
pub fn focus_id(id: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// A random Idempotency-Key (128 bits, hex), from `crypto.getRandomValues`, which every
/// browser the app runs in has. Without it (no window) the key is empty and Save sends none.
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
