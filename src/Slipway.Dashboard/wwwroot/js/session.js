// The signed-in token lives in sessionStorage: it ends with the tab and never appears in a URL.
const key = 'slipway.token';

export const session = {
  token: () => sessionStorage.getItem(key),
  save: (token) => sessionStorage.setItem(key, token),
  clear: () => sessionStorage.removeItem(key),
};
