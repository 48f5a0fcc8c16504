import { NotFound } from '@/features/session/not-found';

/** Where an unknown route lands (app.ts sends it here). */
export default function NotFoundPage() {
  return <NotFound />;
}
