import path from 'node:path';
import type { UserConfigExport } from '@tarojs/cli';

export default {
  mini: {},
  h5: {
    webpackChain(chain) {
      // @wecom/jssdk's export map can pick its 45 KB development build; always ship production.
      chain.resolve.alias.set(
        '@wecom/jssdk$',
        path.resolve(__dirname, '..', 'node_modules/@wecom/jssdk/dist/wecom.prod.js'),
      );
      // Taro splits only initial chunks, so every lazily loaded page would carry its own copy of
      // the shared features, stores and client; share them across pages instead (in chunks of at
      // least 10 KB, so a first load is a handful of requests, not dozens).
      chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all', minSize: 10_000 });
    },
  },
} satisfies UserConfigExport<'webpack5'>;
