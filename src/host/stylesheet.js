// Where the app's one stylesheet is: next to the module, two levels above wasm-bindgen's
// `snippets/<crate>-<hash>/src/host/` folder this file is served from.
export function stylesheetUrl() {
  return new URL('../../../../cloudinary-connections.css', import.meta.url).href;
}
