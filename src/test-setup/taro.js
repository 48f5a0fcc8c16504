// @tarojs/taro for unit tests. The H5 build rewrites `Taro.x` calls into named imports from
// @tarojs/taro-h5; here the default object gets every named API plus the framework's React hooks.
const React = require('react');
const ReactDOM = require('react-dom');
const h5 = require('@tarojs/taro-h5');
const runtime = require('@tarojs/plugin-framework-react/dist/runtime');

runtime.createH5NativeComponentConfig(null, React, ReactDOM);

const hooks = Object.fromEntries(Object.entries(runtime).filter(([name]) => /^use[A-Z]/.test(name)));
const { default: base, ...apis } = h5;
const Taro = Object.assign(base ?? {}, apis, hooks);

module.exports = { ...apis, ...hooks, default: Taro, __esModule: true };
