// The live room's HTTP side (docs/live.md): moderation (mute, unmute, remove a chat message) by
// the session's host or an operator, and the host's per-minute dashboard. The room itself is
// the WebSocket of ../live-room.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services';
import { commonErrors, idParam } from '../schemas';

const positiveId = z.coerce.number().int().positive();

const muteAnswer = z.object({ sessionId: z.number(), accountId: z.number(), muted: z.boolean() });

const figures = {
  onlinePeak: z.number().int().describe('most viewers online at once'),
  viewersCumulative: z.number().int().describe('distinct viewers so far (signed-in by account, anonymous by the page’s viewer id)'),
  likes: z.number().int(),
  chats: z.number().int(),
  exposures: z.number().int().describe('viewers online when a product was pinned, or joining while it was'),
  clicks: z.number().int().describe('product cards opened (once per viewer, SKU and pin)'),
  orders: z.number().int().describe('paid orders of the session'),
  buyers: z.number().int().describe('distinct paying buyers'),
  gmvFen: z.number().int().describe('what the paid orders came to, in fen'),
};
const figuresView = z.object(figures);

const dashboardAnswer = z.object({
  minutes: z.array(z.object({ minute: z.string().describe('start of the minute, ISO 8601'), ...figures })).describe('every minute from the start to now (or the end), quiet minutes as zeros'),
  pins: z.array(
    z.object({
      pinId: z.number(),
      skuId: z.number(),
      title: z.string(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      exposures: z.number().int(),
      clicks: z.number().int(),
      orders: z.number().int().describe('paid orders with the pinned SKU placed while it was pinned'),
      gmvFen: z.number().int().describe('those orders’ lines of the pinned SKU'),
      conversion: z.number().describe('orders ÷ exposures (0 without exposures), 4 decimals'),
    }),
  ),
  funnel: z.object({ exposures: z.number().int(), clicks: z.number().int(), orders: z.number().int() }),
  totals: figuresView.describe('the whole session: counts summed, onlinePeak and viewersCumulative the highest'),
  compare: z.object({
    lastMinutes: z.number().int(),
    last: figuresView.describe('the last lastMinutes minutes, up to now (or the end)'),
    previous: figuresView.describe('the lastMinutes minutes before those'),
  }),
  online: z.number().int().describe('viewers online now'),
});

export function liveModerationRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['live'];

  r.post('/host/sessions/:id/mutes', {
    schema: {
      tags,
      summary: 'Mute an account in the session’s room (the host of the session or an operator)',
      description: 'The account’s chat messages are refused with `error {code:"muted"}` until unmuted. Muting twice is the same as once. Another host’s session is a 404, anyone else 403; 404 naming accountId for an unknown account; 400 for the host themselves.',
      params: idParam,
      body: z.object({ accountId: z.number().int().positive() }),
      response: { 200: muteAnswer, ...commonErrors },
    },
    handler: async (req) => s.liveRooms.mute(req.actor, req.params.id, req.body.accountId),
  });

  r.delete('/host/sessions/:id/mutes/:accountId', {
    schema: {
      tags,
      summary: 'Unmute an account (the host of the session or an operator); unmuting one who is not muted is fine',
      params: z.object({ id: positiveId, accountId: positiveId }),
      response: { 200: muteAnswer, ...commonErrors },
    },
    handler: async (req) => s.liveRooms.unmute(req.actor, req.params.id, req.params.accountId),
  });

  r.delete('/host/sessions/:id/chat/:messageId', {
    schema: {
      tags,
      summary: 'Remove a chat message (the host of the session or an operator): kept as removed, and the room is sent `chat_removed {id}`',
      params: z.object({ id: positiveId, messageId: positiveId }),
      response: { 200: z.object({ id: z.number(), removed: z.boolean() }), ...commonErrors },
    },
    handler: async (req) => s.liveRooms.removeChat(req.actor, req.params.id, req.params.messageId),
  });

  r.get('/live/sessions/:id/dashboard', {
    schema: {
      tags,
      summary: 'The session’s live figures per minute, per pin, funnel, totals and the last minutes against the ones before (the host of the session or an operator)',
      description: 'Includes what the room has counted and not yet stored, so a paid order shows within a second or two. Another host’s session is a 404, anyone else 403.',
      params: idParam,
      querystring: z.object({ lastMinutes: z.coerce.number().int().min(1).max(60).default(5) }),
      response: { 200: dashboardAnswer, ...commonErrors },
    },
    handler: async (req) => s.liveRooms.dashboard(req.actor, req.params.id, req.query.lastMinutes),
  });
}
