import Taro from '@tarojs/taro';

/** Key-value storage that survives restarts (localStorage in H5, wx storage in the mini-program). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const localStore: KeyValueStorage = {
  getItem(key) {
    const value: unknown = Taro.getStorageSync(key);
    return typeof value === 'string' && value !== '' ? value : null;
  },
  setItem(key, value) {
    Taro.setStorageSync(key, value);
  },
  removeItem(key) {
    Taro.removeStorageSync(key);
  },
};
