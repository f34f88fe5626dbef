//! Defines `<cloudinary-connections>` (the class is in `element.js`) around
//! [`super::mount::mount`].

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// The custom element's tag name.
pub const ELEMENT_NAME: &str = "cloudinary-connections";

#[wasm_bindgen(module = "/src/host/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(name: &str, mount: &js_sys::Function);
}

/// Defines the element once per page (a second call finds it defined and does nothing).
pub fn define() {
    let mount = Closure::<dyn Fn(HtmlElement, JsValue) -> JsValue>::new(
        |element: HtmlElement, options: JsValue| {
            JsValue::from(super::mount::mount(element, options))
        },
    );
    define_element(ELEMENT_NAME, mount.as_ref().unchecked_ref());
    // The element class calls it for as long as the page lives.
    mount.forget();
}
