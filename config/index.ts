import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { cloudEnvId } from './cloud-env';
import devConfig from './dev';
import { NativeIndependentPackagePlugin } from './native-independent-package';
import prodConfig from './prod';

/** types/: the contract; the app imports its types and its plain data (the vocabulary). */
const CONTRACT_DIR = path.resolve(__dirname, '..', 'types');
const env = (name: string): string => process.env[name] ?? '';

/** Build-time constants; their types are declared once in global.d.ts. */
const constants = (platform: string) => ({
  SIDEKICK_API_BASE: JSON.stringify(env('SIDEKICK_API_BASE')),
  SIDEKICK_DEMO: JSON.stringify(env('SIDEKICK_DEMO') === '1'),
  WECOM_CORP_ID: JSON.stringify(env('WECOM_CORP_ID')),
  WECOM_AGENT_ID: JSON.stringify(env('WECOM_AGENT_ID')),
  // Throws for a cloud weapp build without it, before anything is built.
  CLOUD_ENV_ID: JSON.stringify(cloudEnvId(process.env, platform)),
});

// NutUI is drawn at 375 px wide; our own styles at 750.
const designWidth = (input?: unknown): number => {
  const file = (input as { file?: string } | undefined)?.file ?? '';
  return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
};

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV ?? 'weapp';
  const outputRoot = env('SIDEKICK_OUT_DIR') ? `${env('SIDEKICK_OUT_DIR')}/${platform}` : `dist/${platform}`;
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'sidekick',
    date: '2026-11-23',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // dist/weapp is the miniprogramRoot of project.config.json; dist/h5 is served by the emulator.
    // SIDEKICK_OUT_DIR lets parallel builds (a second work tree, a benchmark) not overwrite them.
    outputRoot,
    // Taro copies the project file named here into dist/weapp; naming none that exists stops the
    // copy. project.config.json belongs at the repository root, the folder DevTools opens: its
    // cloudfunctionRoot (dist-functions/) resolves from there only (docs/decisions/0004).
    projectConfigName: 'no-project-config-in-dist.json',
    plugins: [],
    defineConstants: constants(platform),
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    // app.json's sitemapLocation names this file; H5 has no use for it.
    copy: { patterns: platform === 'weapp' ? [{ from: 'src/sitemap.json', to: `${outputRoot}/sitemap.json` }] : [], options: {} },
    framework: 'react',
    compiler: {
      type: 'webpack5',
      // Pre-bundling would pull all of NutUI (2.5 MB) into the dev build.
      prebundle: { exclude: ['@nutui/nutui-react-taro', '@nutui/icons-react-taro'] },
    },
    cache: { enable: false },
    mini: {
      // The contract's plain data (types/vocabulary.ts) is compiled with the app's own code.
      compile: { include: [CONTRACT_DIR] },
      webpackChain(chain) {
        // The invitation is a native page: its independent package needs none of Taro's runtime files.
        chain.plugin('native-independent-package').use(NativeIndependentPackagePlugin, ['invite']);
      },
      // Styles are scoped by class name (sk-*), so the order chunks load them in does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      compile: { include: [CONTRACT_DIR] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // `npm run dev:h5` with SIDEKICK_DEV_API=http://127.0.0.1:<emulator port> forwards the
      // function calls, so the page and the functions share one origin (no CORS) as in production.
      devServer: {
        host: '127.0.0.1',
        ...(env('SIDEKICK_DEV_API') ? { proxy: [{ context: ['/fn'], target: env('SIDEKICK_DEV_API') }] } : {}),
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
