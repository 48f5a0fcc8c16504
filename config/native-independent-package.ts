import type { Compiler } from 'webpack';

const NAME = 'NativeIndependentPackagePlugin';

/** What Taro adds to every independent subpackage so that React pages can render there. */
const TARO_ENTRIES = ['comp', 'custom-wrapper'];
const TARO_FILES = ['base.wxml', 'utils.wxs', 'comp.js', 'comp.json', 'comp.wxml', 'custom-wrapper.js', 'custom-wrapper.json', 'custom-wrapper.wxml'];

/**
 * Taro 4 builds each independent subpackage in a child compiler that always adds its own Taro
 * runtime: the `comp` and `custom-wrapper` components, the 54 KB `base.wxml` template and
 * `utils.wxs`, whether or not any page there is a Taro page (NervJS/taro#11745). A package whose
 * pages are all native pages uses none of it, so WeChat's code-quality check reports it as unused
 * code and it counts against the package size. This plugin removes the two entries before the
 * child compilation seals (so the runtime module they load leaves `vendors.js` too) and the
 * templates before it emits; it fails the build if a file left in the package still refers to them.
 */
export class NativeIndependentPackagePlugin {
  constructor(private readonly root: string) {}

  apply(compiler: Compiler): void {
    const root = this.root;
    // The running webpack's own classes, not a second copy resolved from here.
    const { Compilation, WebpackError } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(NAME, (parent) => {
      parent.hooks.childCompiler.tap(NAME, (child) => {
        // Taro names each independent package's chunk-loading global after its root.
        if (child.options.output.chunkLoadingGlobal !== `subpackage_${root}`) return;
        child.hooks.finishMake.tap(NAME, (compilation) => {
          for (const entry of TARO_ENTRIES) compilation.entries.delete(`${root}/${entry}`);
        });
        child.hooks.thisCompilation.tap(NAME, (compilation) => {
          compilation.hooks.processAssets.tap({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
            for (const file of TARO_FILES) {
              if (compilation.getAsset(`${root}/${file}`)) compilation.deleteAsset(`${root}/${file}`);
            }
            for (const asset of compilation.getAssets()) {
              const why = taroReference(asset.name, asset.source.source().toString());
              if (why) compilation.errors.push(new WebpackError(`${asset.name} ${why}, but ${root}/ is built as a package of native pages only (config/native-independent-package.ts)`));
            }
          });
        });
      });
    });
  }
}

/** Why a built file needs the Taro runtime files this plugin removed, or undefined. */
function taroReference(name: string, text: string): string | undefined {
  if (name.endsWith('.wxml') && /<import\s+src="[^"]*base\.wxml"/.test(text)) return 'imports base.wxml';
  if (name.endsWith('.json') && /"(comp|custom-wrapper)"\s*:/.test(text)) return 'uses the comp or custom-wrapper component';
  if (name.endsWith('.js') && /require\("[^"]*\/(comp|custom-wrapper)"\)/.test(text)) return 'requires comp or custom-wrapper';
  return undefined;
}
