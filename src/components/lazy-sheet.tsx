import { useEffect, useState, type ComponentType } from 'react';

/** How long after its owner shows a sheet's code is fetched anyway, so the first tap finds it loaded. */
const WARM_AFTER_MS = 1500;

/**
 * A bottom sheet whose code (with NutUI's popup, inputs and transitions) is downloaded the first
 * time it opens, or a moment after the page shows, not with the page: the first screen does not
 * wait for it. Until then it renders nothing, as a closed sheet does. It mounts closed and opens
 * right after, so it slides in exactly like a sheet that was there all along. A download that
 * failed is tried again the next time the sheet opens.
 *
 * H5 only: the mini-program has no lazy chunks (its `*-lazy.tsx` files import the sheet directly).
 */
export function lazySheet<P extends { visible: boolean }>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const fetchCode = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));

  function Sheet(props: P) {
    const [opened, setOpened] = useState(props.visible);
    if (props.visible && !opened) setOpened(true);
    const [Component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [shown, setShown] = useState(false);

    useEffect(() => {
      if (Component) return undefined;
      let live = true;
      const get = () => fetchCode().then((c) => live && setComponent(() => c), () => undefined);
      const timer = opened && props.visible ? undefined : setTimeout(get, WARM_AFTER_MS);
      if (!timer) void get();
      return () => {
        live = false;
        if (timer) clearTimeout(timer);
      };
    }, [Component, opened, props.visible]);

    // Mounted closed first, then opened: the sheet's own transition runs.
    useEffect(() => {
      if (Component && opened) setShown(true);
    }, [Component, opened]);

    if (!opened || !Component) return null;
    return <Component {...props} visible={props.visible && shown} />;
  }
  return Sheet;
}
