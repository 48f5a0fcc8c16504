import { DemoSignIn } from '@/features/session/demo-sign-in';

/** Local demo only (listed in app.config.ts when SIDEKICK_DEMO=1). */
export default function SignInPage() {
  return <DemoSignIn />;
}
