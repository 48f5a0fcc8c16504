import path from 'node:path';
import type { UserConfigExport } from '@tarojs/cli';
import { APP_FIRST_SCREEN, earlyCallsScript } from './early-calls';
import { RoutePreloadPlugin } from './route-preload';

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
      // A customer's page opened cold (the WeCom sidebar, a link to a profile) downloads its code
      // while the app's entry runs, not after it (inside WeCom the sidebar also gets the JS-SDK),
      // and asks for the customer's first screen before that (early-calls.ts).
      const early = earlyCallsScript({ apiBase: process.env.SIDEKICK_API_BASE ?? '', ...APP_FIRST_SCREEN });
      chain.plugin('route-preload').use(RoutePreloadPlugin, [
        [
          { route: 'pages/sidebar/index' },
          // Run, not only preloaded: the SDK is what the chat's customer (the first call) waits for.
          { route: 'pages/sidebar/index', request: '@wecom/jssdk', userAgent: 'wxwork', run: true },
          { route: 'pages/customer/index' },
        ],
        early,
      ]);
    },
  },
} satisfies UserConfigExport<'webpack5'>;
