/**
 * Whether the page is on screen: Taro's page show/hide (navigating away, the mini-program in the
 * background) and, in a browser, the document's visibility (the WeCom sidebar closed or a tab
 * switched). Live views run their timers only while this holds.
 */
import { useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

const hasDocumentVisibility = (): boolean =>
  typeof document !== 'undefined' && typeof document.visibilityState === 'string' && typeof document.addEventListener === 'function';

/**
 * Runs `start` while the page is visible and calls the stop function it returns when the page
 * is hidden or the component unmounts; runs it again when the page shows again.
 */
export function useWhileVisible(start: () => () => void): void {
  const [pageShown, setPageShown] = useState(true);
  const [documentShown, setDocumentShown] = useState(() => !hasDocumentVisibility() || document.visibilityState !== 'hidden');
  const startRef = useRef(start);
  startRef.current = start;

  useDidShow(() => setPageShown(true));
  useDidHide(() => setPageShown(false));

  useEffect(() => {
    if (!hasDocumentVisibility()) return undefined;
    const onChange = () => setDocumentShown(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  useEffect(() => {
    if (!pageShown || !documentShown) return undefined;
    return startRef.current();
  }, [pageShown, documentShown]);
}
