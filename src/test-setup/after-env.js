// Every test starts with nothing on screen, signed out, with empty stores and empty storage.
const { cleanup } = require('./render');
const { resetAllStores } = require('@/stores/registry');

afterEach(() => {
  cleanup();
  resetAllStores();
  window.localStorage.clear();
});
