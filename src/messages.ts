// Every feature's messages, registered in the one catalogue (src/i18n). Imported by the
// composition root, so the app, the jobs and the tests all translate with the same keys.
import { registerMessages } from './i18n/index.ts';
import adminMessages from './admin/messages.ts';
import authMessages from './auth/messages.ts';
import authLimitMessages from './auth/limit-messages.ts';
import bookingsMessages from './bookings/messages.ts';
import dashboardsMessages from './dashboards/messages.ts';
import notificationsMessages from './notifications/messages.ts';
import availabilityMessages from './availability/messages.ts';
import devOutboxMessages from './dev-outbox/messages.ts';
import usersMessages from './users/messages.ts';
import skillsMessages from './skills/messages.ts';
import coursePublicMessages from './courses/messages.ts';
import courseAdminMessages from './course-admin/messages.ts';
import courseCurriculumMessages from './course-admin/curriculum-messages.ts';
import reviewsMessages from './reviews/messages.ts';
import lessonQaMessages from './lesson-qa/messages.ts';
import paymentsMessages from './payments/messages.ts';
import payoutsMessages from './payments/payouts-messages.ts';
import paymentPackagesMessages from './payments/packages-messages.ts';
import subscriptionMessages from './payments/subscription-messages.ts';
import conversationsMessages from './conversations/messages.ts';
import reminderMessages from './reminders/reminder-messages.ts';
import skillOfferMessages from './skills/offer-messages.ts';
import rescheduleMessages from './bookings/reschedule-messages.ts';
import calendarMessages from './calendar/messages.ts';
import bookingSeriesMessages from './bookings/series-messages.ts';
import headerMessages from './i18n/header-messages.ts';
import apiMessages from './api/messages.ts';
import slotsApiMessages from './slots/api-messages.ts';
import insightRangeMessages from './insights/range-messages.ts';
import insightsMessages from './insights/messages.ts';
import insightDefinitionMessages from './insights/definition-messages.ts';

registerMessages(adminMessages, authMessages, authLimitMessages, bookingsMessages, dashboardsMessages, notificationsMessages, availabilityMessages, devOutboxMessages, usersMessages, skillsMessages, coursePublicMessages, courseAdminMessages, courseCurriculumMessages, reviewsMessages, lessonQaMessages, paymentsMessages, payoutsMessages, paymentPackagesMessages, subscriptionMessages, conversationsMessages, reminderMessages, skillOfferMessages, rescheduleMessages, calendarMessages, bookingSeriesMessages, headerMessages, apiMessages, slotsApiMessages, insightRangeMessages, insightsMessages, insightDefinitionMessages);
