/** In a browser nothing but the page itself shows its title or a way back. */
export const drawsOwnTitleBar = true;
