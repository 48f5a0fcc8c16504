/** Sign out everywhere: raising the staff member's session version invalidates every token issued before. */
import { Collections } from '../../types/model';
import { _, db } from './cloud';

export async function revokeSessions(staffId: string): Promise<void> {
  await db.collection(Collections.staff).doc(staffId).update({ data: { sessionVersion: _.inc(1) } });
}
