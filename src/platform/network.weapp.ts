import Taro from '@tarojs/taro';

let online = true;
const listeners = new Set<(online: boolean) => void>();
let watching = false;

function watch(): void {
  if (watching) return;
  watching = true;
  Taro.onNetworkStatusChange(({ isConnected }) => {
    online = isConnected;
    listeners.forEach((l) => l(isConnected));
  });
  void Taro.getNetworkType()
    .then(({ networkType }) => {
      online = networkType !== 'none';
    })
    .catch(() => undefined);
}

/** The mini-program learns it from onNetworkStatusChange (and getNetworkType at start). */
export function isOnline(): boolean {
  watch();
  return online;
}

export function onNetworkChange(listener: (online: boolean) => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
