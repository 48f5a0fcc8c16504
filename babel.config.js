// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// NutUI's component folders are lowercase (dist/es/packages/button), so babel-plugin-import
// needs explicit paths; icons are imported one file each so unused icons never ship.
const nutuiPackages = '@nutui/nutui-react-taro/dist/es/packages';

module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `${nutuiPackages}/${name.toLowerCase()}`,
        customStyleName: (name) => `${nutuiPackages}/${name.toLowerCase()}/style/css`,
      },
      'nutui-react-taro',
    ],
    [
      'import',
      {
        libraryName: '@nutui/icons-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `@nutui/icons-react-taro/dist/es/icons/${name}`,
      },
      'nutui-icons-react-taro',
    ],
  ],
};
