import HtmlWebpackPlugin from 'html-webpack-plugin';
import type { Compiler } from 'webpack';

const NAME = 'RoutePreloadPlugin';

export interface PreloadRule {
  /** The page, as in the hash route: `pages/sidebar/index`. */
  route: string;
  /** What the chunks to preload are imported as: the page's own module by default, or e.g. `@wecom/jssdk`. */
  request?: string;
  /** Only for a user agent that matches this (e.g. `wxwork`: inside WeCom). */
  userAgent?: string;
  /** Run the scripts as soon as they arrive (their modules are then installed before the entry asks) instead of only preloading them. */
  run?: boolean;
}

/**
 * The H5 app asks for a page's code only once its entry (Taro's runtime, React, the router: the
 * bulk of the first load) has run, so on a cold load the network sits idle for that long and
 * then the page's chunks arrive one round later. This plugin writes a few lines into index.html
 * that, before the entry runs, look at the address and preload the chunks (scripts and styles)
 * of the page it names, for the pages listed here; webpack then finds them in the cache. A rule
 * with `run` runs its scripts instead, in order as they arrive: running a chunk only registers its
 * modules, so the app's `import()` of them settles at once rather than a task or more after the
 * entry (the WeCom JS-SDK, which the sidebar's first call waits for). Other addresses load
 * exactly as before.
 */
export class RoutePreloadPlugin {
  /** `before`: a script inlined ahead of the preloads (the first screen's early calls). */
  constructor(
    private readonly rules: PreloadRule[],
    private readonly before = '',
  ) {}

  apply(compiler: Compiler): void {
    const { rules, before } = this;
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).beforeEmit.tap(NAME, (data) => {
        const publicPath = typeof compilation.outputOptions.publicPath === 'string' ? compilation.outputOptions.publicPath : '/';
        const initial = new Set<string>();
        for (const entry of compilation.entrypoints.values()) for (const chunk of entry.chunks) for (const file of chunk.files) initial.add(file);
        const plan = rules.map((rule) => {
          const wanted = rule.request ?? rule.route;
          const files = new Set<string>();
          for (const group of compilation.chunkGroups) {
            if (group.isInitial() || !group.origins.some((o) => (o.request ?? '').replace(/\.[a-z]+$/, '').endsWith(wanted))) continue;
            for (const chunk of group.chunks) for (const file of chunk.files) if (!initial.has(file) && /\.(js|css)$/.test(file)) files.add(file);
          }
          if (!files.size) throw new Error(`${NAME}: no lazily loaded chunks found for ${wanted}`);
          // Styles first: the page renders only once they are in.
          const ordered = [...files].sort((a, b) => Number(b.endsWith('.css')) - Number(a.endsWith('.css')));
          return { route: rule.route, ua: rule.userAgent ?? '', run: rule.run ? 1 : 0, files: ordered };
        });
        const script =
          '(function(){var p=' + JSON.stringify(plan) + ',b=' + JSON.stringify(publicPath) +
          ",r=location.hash.replace(/^#\\/?/,'').split('?')[0],u=navigator.userAgent;" +
          "p.forEach(function(x){if(x.route!==r||(x.ua&&u.toLowerCase().indexOf(x.ua)<0))return;" +
          "x.files.forEach(function(f){var l,c=/\\.css$/.test(f);if(x.run&&!c){l=document.createElement('script');l.async=false;l.src=b+f;}else{l=document.createElement('link');l.rel='preload';l.href=b+f;l.as=c?'style':'script';}document.head.appendChild(l);});});})();";
        data.html = data.html.replace('</title>', `</title>${before ? `<script>${before}</script>` : ''}<script>${script}</script>`);
        return data;
      });
    });
  }
}
