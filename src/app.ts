import type { PropsWithChildren } from 'react';
import { loadFirstScreen } from '@/features/sidebar/first-screen';
import { openingPage } from '@/platform/launch';
import { onUnknownRoute, restartAt, routes } from '@/platform/navigation';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import '@nutui/icons-react-taro/dist/style_icon.css';
import './app.scss';

// An unknown address gets a page that says so and leads home, not a blank screen.
onUnknownRoute(() => restartAt(routes.notFound));

// A customer's page (a deep link, the WeCom sidebar) asks for its data while its code downloads.
loadFirstScreen(openingPage());

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
