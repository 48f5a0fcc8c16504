import Taro from '@tarojs/taro';

/** A short confirmation that fades by itself, e.g. 已记录. */
export function showToast(text: string): void {
  void Taro.showToast({ title: text, icon: 'success', duration: 1500 }).catch(() => undefined);
}
