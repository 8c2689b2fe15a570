// Demo conversations: the demo bookings are written after the migrations ran, so their
// note to the mentor becomes the first message here (as bookings.request does for real
// ones), and a few upcoming sessions already have the mentor's answer. Once per data
// folder, after the demo bookings.
import type { Knex } from 'knex';

const META_KEY = 'demo_conversations_seeded';
const REPLIES = [
  'Avec plaisir ! Envoyez-moi votre code avant la séance si vous pouvez.',
  'Parfait, à bientôt. Préparez vos questions, on ira droit au but.',
  'Bien reçu. Le lien de la visio est sur la page de la réservation.',
];

export async function seedDemoConversationsOnce(knex: Knex, now: Date): Promise<{ messages: number } | undefined> {
  return knex.transaction(async (trx) => {
    if (await trx('appMeta').where({ key: META_KEY }).first('key')) return undefined;
    if (!(await trx('appMeta').where({ key: 'demo_bookings_seeded' }).first('key'))) return undefined;
    const notes: { id: string; studentId: string; message: string; createdAt: Date }[] = await trx('bookings')
      .whereNotNull('message').whereRaw("btrim(message) <> ''")
      .whereNotExists(trx('bookingMessages').whereRaw('booking_messages.booking_id = bookings.id'))
      .orderBy('createdAt').select('id', 'studentId', 'message', 'createdAt');
    const rows = notes.map((b) => ({ bookingId: b.id, authorId: b.studentId, authorRole: 'student', body: b.message.trim().slice(0, 2000), createdAt: b.createdAt }));
    const upcoming: { id: string; mentorId: string; createdAt: Date }[] = await trx('bookings')
      .where('status', 'confirmed').where('kind', 'one_on_one').where('startsAt', '>', now).whereIn('id', notes.map((b) => b.id))
      .orderBy('startsAt').limit(REPLIES.length * 2).select('id', 'mentorId', 'createdAt');
    upcoming.forEach((b, i) => rows.push({ bookingId: b.id, authorId: b.mentorId, authorRole: 'mentor', body: REPLIES[i % REPLIES.length]!, createdAt: new Date(b.createdAt.getTime() + 2 * 3_600_000) }));
    // Oldest first: ids follow the conversation's order.
    rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (rows.length) await trx('bookingMessages').insert(rows);
    await trx('appMeta').insert({ key: META_KEY, value: JSON.stringify({ messages: rows.length }) });
    return { messages: rows.length };
  });
}
