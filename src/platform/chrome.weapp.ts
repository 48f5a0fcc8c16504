/** WeChat's native navigation bar shows the page's title and the way back. */
export const drawsOwnTitleBar = false;
