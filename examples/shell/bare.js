// Imports and initialises the app's module, mounts nothing: the page must stay as it is.
import init from '/cloudinary-connections.js';

await init();
document.documentElement.dataset.initialised = 'true';
