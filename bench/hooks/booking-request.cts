// autocannon setupRequest hook for the booking scenario. autocannon's worker thread
// loads it with require(), hence CommonJS. The plan (signed-in students and distinct
// free slots) is a JSON file named by BENCH_BOOKING_PLAN, written just before the run.
// Every request takes the next slot and the next student: the cookie is what makes a
// student, not the connection, so any connection can speak for any student.

interface Plan {
  students: { cookie: string; token: string }[];
  slots: { skillId: string; start: string }[];
  duration: number;
}

interface RawRequest {
  headers?: Record<string, string>;
  [key: string]: unknown;
}

const fs = process.getBuiltinModule('node:fs');
const planFile = process.env.BENCH_BOOKING_PLAN;
if (!planFile) throw new Error('BENCH_BOOKING_PLAN is not set');
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as Plan;
let n = 0;

function setupRequest(request: RawRequest): RawRequest {
  const i = n++;
  const student = plan.students[i % plan.students.length]!;
  // Past the end of the plan the slots repeat: those requests get 409s, and say so.
  const slot = plan.slots[i % plan.slots.length]!;
  return {
    ...request,
    method: 'POST',
    path: `/skills/${slot.skillId}/bookings`,
    headers: { ...request.headers, cookie: student.cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fr' },
    body: new URLSearchParams({ _csrf: student.token, start: slot.start, duration: String(plan.duration), subject: `Séance de bench n°${i}` }).toString(),
  };
}

export = setupRequest;
