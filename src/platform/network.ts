/**
 * Whether the device is online, and news when that changes. Taro builds `network.h5.ts` or
 * `network.weapp.ts` in place of this file; it only declares what both export.
 */

/** What the platform last said: true unless it said the device is offline. */
export declare function isOnline(): boolean;

/** Calls `listener` with the new state whenever the device goes offline or back online; returns the way to stop. */
export declare function onNetworkChange(listener: (online: boolean) => void): () => void;
