// What the Taro H5 build defines before any module loads.
process.env.TARO_ENV = 'h5';
process.env.TARO_PLATFORM = 'web';

for (const flag of [
  'ENABLE_INNER_HTML',
  'ENABLE_ADJACENT_HTML',
  'ENABLE_SIZE_APIS',
  'ENABLE_TEMPLATE_CONTENT',
  'ENABLE_CLONE_NODE',
  'ENABLE_CONTAINS',
  'ENABLE_MUTATION_OBSERVER',
]) {
  globalThis[flag] = true;
}
globalThis.DEPRECATED_ADAPTER_COMPONENT = false;

// Our defineConstants, as in a local demo build; tests may change them.
globalThis.SIDEKICK_API_BASE = '';
globalThis.SIDEKICK_DEMO = true;
globalThis.WECOM_CORP_ID = '';
globalThis.WECOM_AGENT_ID = '';
globalThis.CLOUD_ENV_ID = '';
