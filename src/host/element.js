// The <cloudinary-connections> element: inserting it mounts the app, removing it unmounts,
// changing an attribute updates. The token is a property only (`token`, `getToken`), never an
// attribute. `mount` is the module's own mount(element, options), handed over by the app.
const ATTRIBUTES = { 'api-base': 'apiBase', locale: 'locale', 'base-path': 'basePath' };

export function defineElement(name, mount) {
  if (customElements.get(name)) return;

  class CloudinaryConnections extends HTMLElement {
    static get observedAttributes() { return Object.keys(ATTRIBUTES); }

    #handle = null;
    #token = undefined;
    #getToken = undefined;

    constructor() {
      super();
      // Properties set before the element was defined shadow the accessors: take them over.
      for (const prop of ['token', 'getToken']) {
        if (Object.prototype.hasOwnProperty.call(this, prop)) {
          const value = this[prop];
          delete this[prop];
          this[prop] = value;
        }
      }
    }

    get token() { return this.#token; }
    set token(value) {
      this.#token = value;
      this.#handle?.update({ token: value ?? null });
    }

    get getToken() { return this.#getToken; }
    set getToken(value) {
      this.#getToken = value;
      this.#handle?.update({ getToken: value ?? null });
    }

    connectedCallback() {
      if (this.#handle) return;
      const options = { token: this.#token, getToken: this.#getToken };
      for (const [attr, key] of Object.entries(ATTRIBUTES)) {
        const value = this.getAttribute(attr);
        if (value !== null) options[key] = value;
      }
      this.#handle = mount(this, options);
    }

    disconnectedCallback() {
      const handle = this.#handle;
      this.#handle = null;
      if (handle) {
        handle.unmount();
        handle.free();
      }
    }

    attributeChangedCallback(attr, before, after) {
      if (before === after || !this.#handle) return;
      this.#handle.update({ [ATTRIBUTES[attr]]: after });
    }
  }

  customElements.define(name, CloudinaryConnections);
}
